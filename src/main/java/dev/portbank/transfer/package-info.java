/**
 * Money movements (transfers, deposits, withdrawals): validation, idempotency keys, and the one-transaction posting
 * that makes overdrafts, lost updates and duplicates impossible.
 */
package dev.portbank.transfer;
