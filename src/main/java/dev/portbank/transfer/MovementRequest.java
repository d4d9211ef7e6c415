package dev.portbank.transfer;

import com.fasterxml.jackson.databind.JsonNode;
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
public record MovementRequest(Transfer.Kind kind, UUID from, UUID to, long amount, String currency,
                              String reference) {
    public static final int MAX_REFERENCE_LENGTH = 140;

    public MovementRequest {
        if (amount < 1) {
            throw new IllegalArgumentException("amount must be positive");
        }
        reference = reference == null ? "" : reference;
    }

    /** Parses and validates a body of {@code POST /v1/transfers}, {@code /deposits} or {@code /withdrawals}. */
    public static MovementRequest from(Transfer.Kind kind, JsonNode body) {
        RequestValidator validator = new RequestValidator(body);
        UUID from = null;
        UUID to = null;
        if (kind == Transfer.Kind.TRANSFER) {
            validator.allowOnly("from", "to", "amount", "currency", "reference");
            from = validator.accountId("from");
            to = validator.accountId("to");
        } else {
            validator.allowOnly("account", "amount", "currency", "reference");
            UUID account = validator.accountId("account");
            if (kind == Transfer.Kind.DEPOSIT) {
                to = account;
            } else {
                from = account;
            }
        }
        long amount = validator.amount("amount");
        String currency = validator.currency("currency");
        String reference = validator.optionalText("reference", MAX_REFERENCE_LENGTH);
        validator.throwIfInvalid();
        if (from != null && from.equals(to)) {
            throw new ApiException(Problem.of(Status.UNPROCESSABLE_CONTENT_422, "same-account", "Same account",
                    "from and to must be two different accounts"));
        }
        return new MovementRequest(kind, from, to, amount, currency, reference);
    }

    /** The account this movement names as the customer's side (the one checked for ownership when debited). */
    public UUID customerAccount() {
        return kind == Transfer.Kind.DEPOSIT ? to : from;
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
