/** The append-only ledger: each account's entries, newest first, read by stable cursor. */
package dev.portbank.ledger;
