package dev.portbank.ledger;

/**
 * The three ways money moves, as the ledger records them ({@code transfers.kind}) and the API names them
 * ({@code "kind"}). Here, at the bottom of the features, so that a ledger entry can name it without the ledger
 * depending on the transfer feature that writes it.
 */
public enum MovementKind { TRANSFER, DEPOSIT, WITHDRAWAL }
