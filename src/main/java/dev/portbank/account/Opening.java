package dev.portbank.account;

/** What became of a request to open an account; the handler maps it to HTTP with one exhaustive switch. */
public sealed interface Opening {

    /** The account opened now or, if {@code replayed}, earlier under the same Idempotency-Key. */
    record Opened(Account account, boolean replayed) implements Opening {
    }

    /** The Idempotency-Key opened an account with another currency or name: nothing is opened. */
    record KeyReused() implements Opening {
    }
}
