package dev.portbank.transfer;

import dev.portbank.platform.Problem;
import io.helidon.http.Status;

import java.util.Locale;

/**
 * What became of one movement: the single vocabulary of Java, SQL and JSON. Each constant's slug (its name in
 * lower case with dashes) is a label of the PostgreSQL enum {@code movement_outcome}, the value stored under the
 * movement's idempotency key, and, for a refusal, the problem type the client gets.
 */
public enum Outcome {
    COMPLETED(Status.CREATED_201, "Completed", "the money moved"),
    ACCOUNT_NOT_FOUND(Status.NOT_FOUND_404, "Account not found", "an account of this movement does not exist"),
    ACCOUNT_CLOSED(Status.UNPROCESSABLE_CONTENT_422, "Account closed", "an account of this movement is closed"),
    CURRENCY_MISMATCH(Status.UNPROCESSABLE_CONTENT_422, "Currency mismatch",
            "every account of a movement must hold the movement's currency"),
    INSUFFICIENT_FUNDS(Status.UNPROCESSABLE_CONTENT_422, "Insufficient funds",
            "the debited account's balance is lower than the amount"),
    TELLER_OWN_ACCOUNT(Status.FORBIDDEN_403, "Own account",
            "a teller may not deposit into or withdraw from an account they own"),
    BALANCE_LIMIT(Status.UNPROCESSABLE_CONTENT_422, "Balance limit",
            "this movement would take a balance beyond what an account can hold");

    private final String slug = name().toLowerCase(Locale.ROOT).replace('_', '-');
    private final Status status;
    private final String title;
    private final String detail;

    Outcome(Status status, String title, String detail) {
        this.status = status;
        this.title = title;
        this.detail = detail;
    }

    /** The outcome a {@code movement_outcome} label names. */
    public static Outcome ofSlug(String slug) {
        for (Outcome outcome : values()) {
            if (outcome.slug.equals(slug)) {
                return outcome;
            }
        }
        throw new IllegalArgumentException("unknown movement outcome " + slug);
    }

    public String slug() {
        return slug;
    }

    public Status status() {
        return status;
    }

    public String detail() {
        return detail;
    }

    /** The problem a client gets for this refusal. */
    public Problem problem() {
        return Problem.of(status, slug, title, detail);
    }
}
