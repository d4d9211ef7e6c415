/**
 * The append-only ledger: each account's entries, newest first, read by stable cursor, and the kinds of movement it
 * records. The lowest of the features: account and transfer depend on it, it depends on neither.
 */
package dev.portbank.ledger;
