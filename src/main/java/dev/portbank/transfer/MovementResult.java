package dev.portbank.transfer;

import dev.portbank.platform.IdempotencyKey;

/** What became of a movement request; handlers map it to HTTP with one exhaustive switch. */
public sealed interface MovementResult {

    /** Whether this answer was stored under the idempotency key earlier and is now given again. */
    boolean replayed();

    /** The money moved (now or, if replayed, the first time). */
    record Completed(Transfer transfer, boolean replayed) implements MovementResult {
    }

    /** Nothing moved, for a reason that is stored under the key and replayed the same way. */
    record Refused(Outcome reason, boolean replayed) implements MovementResult {
        public Refused {
            if (reason == Outcome.COMPLETED) {
                throw new IllegalArgumentException("a refusal needs a reason other than completed");
            }
        }
    }

    /** The key was used before with a different request; nothing moved and nothing was stored. */
    record KeyReused() implements MovementResult {
        public static final String SLUG = IdempotencyKey.REUSED_SLUG;

        @Override
        public boolean replayed() {
            return false;
        }
    }
}
