package dev.portbank.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portbank.ledger.MovementKind;
import dev.portbank.platform.ApiException;
import dev.portbank.platform.Problem;
import dev.portbank.platform.RequestValidator;
import io.helidon.http.Status;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * A validated request to move money. For a transfer {@code from} and {@code to} are the customer accounts; for a
 * deposit only {@code to}, for a withdrawal only {@code from} is set.
 */
public record MovementRequest(MovementKind kind, UUID from, UUID to, long amount, String currency,
                              String reference) {
    public static final int MAX_REFERENCE_LENGTH = 140;
    /** A transfer from an account to itself moves nothing: refused for a single transfer and a batch item alike. */
    public static final Problem SAME_ACCOUNT = Problem.of(Status.UNPROCESSABLE_CONTENT_422, "same-account",
            "Same account", "from and to must be two different accounts");

    public MovementRequest {
        if (amount < 1) {
            throw new IllegalArgumentException("amount must be positive");
        }
        reference = reference == null ? "" : reference;
    }

    /** Parses and validates a body of {@code POST /v1/transfers}, {@code /deposits} or {@code /withdrawals}. */
    public static MovementRequest from(MovementKind kind, JsonNode body) {
        RequestValidator validator = new RequestValidator(body);
        MovementRequest request = read(kind, validator);
        validator.throwIfInvalid();
        if (request.sameAccount()) {
            throw new ApiException(SAME_ACCOUNT);
        }
        return request;
    }

    /**
     * Reads one movement's fields into {@code validator}; null if any field is invalid (the validator has the
     * errors). The caller decides when to report them, so a batch reports every item's at once.
     */
    static MovementRequest read(MovementKind kind, RequestValidator validator, String... otherFields) {
        UUID from = null;
        UUID to = null;
        if (kind == MovementKind.TRANSFER) {
            validator.allowOnly(fields(otherFields, "from", "to", "amount", "currency", "reference"));
            from = validator.accountId("from");
            to = validator.accountId("to");
        } else {
            validator.allowOnly(fields(otherFields, "account", "amount", "currency", "reference"));
            UUID account = validator.accountId("account");
            if (kind == MovementKind.DEPOSIT) {
                to = account;
            } else {
                from = account;
            }
        }
        long amount = validator.amount("amount");
        String currency = validator.currency("currency");
        String reference = validator.optionalText("reference", MAX_REFERENCE_LENGTH);
        boolean complete = (from != null || kind == MovementKind.DEPOSIT)
                && (to != null || kind == MovementKind.WITHDRAWAL) && amount > 0 && currency != null;
        return complete ? new MovementRequest(kind, from, to, amount, currency, reference) : null;
    }

    private static String[] fields(String[] others, String... own) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(own), java.util.Arrays.stream(others))
                .toArray(String[]::new);
    }

    /** A transfer from an account to itself moves nothing and is refused. */
    public boolean sameAccount() {
        return from != null && from.equals(to);
    }

    /** The account this movement names as the customer's side (the one checked for ownership when debited). */
    public UUID customerAccount() {
        return kind == MovementKind.DEPOSIT ? to : from;
    }

    /** A digest of everything that defines the movement: a replayed key must come with the same one. */
    public String fingerprint() {
        String canonical = String.join("|", kind.name(), String.valueOf(from), String.valueOf(to),
                Long.toString(amount), currency, reference);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
