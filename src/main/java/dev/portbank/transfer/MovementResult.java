package dev.portbank.transfer;

import dev.portbank.account.Balance;
import io.helidon.http.Status;

import java.util.List;

/** What became of a movement request; handlers map it to HTTP with one exhaustive switch. */
public sealed interface MovementResult {

    /** Whether this answer was stored under the idempotency key earlier and is now given again. */
    boolean replayed();

    /** The money moved (now or, if replayed, the first time); {@code balances} are the customer accounts' new ones. */
    record Completed(Transfer transfer, boolean replayed, List<Balance> balances) implements MovementResult {
        public Completed {
            balances = List.copyOf(balances);
        }
    }

    /** Nothing moved, for a reason that is stored under the key and replayed the same way. */
    record Refused(Refusal reason, boolean replayed) implements MovementResult {
    }

    /** The key was used before with a different request; nothing moved and nothing was stored. */
    record KeyReused() implements MovementResult {
        @Override
        public boolean replayed() {
            return false;
        }
    }

    /** Why a well-formed movement was refused. */
    enum Refusal {
        ACCOUNT_NOT_FOUND("account-not-found", Status.NOT_FOUND_404, "Account not found",
                "an account of this movement does not exist"),
        ACCOUNT_CLOSED("account-closed", Status.UNPROCESSABLE_CONTENT_422, "Account closed",
                "an account of this movement is closed"),
        CURRENCY_MISMATCH("currency-mismatch", Status.UNPROCESSABLE_CONTENT_422, "Currency mismatch",
                "every account of a movement must hold the movement's currency"),
        INSUFFICIENT_FUNDS("insufficient-funds", Status.UNPROCESSABLE_CONTENT_422, "Insufficient funds",
                "the debited account's balance is lower than the amount");

        private final String slug;
        private final Status status;
        private final String title;
        private final String detail;

        Refusal(String slug, Status status, String title, String detail) {
            this.slug = slug;
            this.status = status;
            this.title = title;
            this.detail = detail;
        }

        public static Refusal ofSlug(String slug) {
            for (Refusal refusal : values()) {
                if (refusal.slug.equals(slug)) {
                    return refusal;
                }
            }
            throw new IllegalArgumentException("unknown refusal " + slug);
        }

        public String slug() {
            return slug;
        }

        public Status status() {
            return status;
        }

        public String title() {
            return title;
        }

        public String detail() {
            return detail;
        }
    }
}
