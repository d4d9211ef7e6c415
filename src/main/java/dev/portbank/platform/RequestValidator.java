package dev.portbank.platform;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Checks one JSON request body field by field and collects every problem, so a client learns all that is wrong at
 * once. The messages are named constants: tests assert on them.
 */
public final class RequestValidator {
    public static final String UNKNOWN_FIELD = "is not a known field";
    public static final String REQUIRED = "is required";
    public static final String NOT_A_STRING = "must be a string";
    public static final String NOT_AN_ACCOUNT_ID = "must be an account id (a UUID)";
    public static final String NOT_A_UUID = "must be a UUID";
    public static final String NOT_A_CURRENCY = "must be an ISO 4217 currency code such as EUR";
    public static final String NOT_AN_AMOUNT = "must be an integer number of minor units from 1 to 10^15";
    public static final String TEXT_TOO_LONG = "is longer than %d characters";
    public static final String CONTROL_CHARACTERS = "must not contain control characters";
    public static final String FORMAT_CHARACTERS =
            "must not contain invisible formatting characters (bidi controls, zero-width spaces, line separators)";
    public static final String NOT_AN_ARRAY = "must be an array of %d to %d elements";
    public static final String NOT_AN_OBJECT = "must be a JSON object";

    /** The largest amount one movement may carry, in minor units: 10^15, far inside a balance's 64 bits. */
    private static final BigInteger MAX_AMOUNT = BigInteger.TEN.pow(15);
    private static final Pattern THREE_CAPITALS = Pattern.compile("[A-Z]{3}");
    private static final int ZERO_WIDTH_JOINER = 0x200D;

    private final JsonNode body;
    private final String prefix;
    private final List<Problem.FieldError> errors;

    public RequestValidator(JsonNode body) {
        this(body, "", new ArrayList<>());
    }

    private RequestValidator(JsonNode body, String prefix, List<Problem.FieldError> errors) {
        this.body = body;
        this.prefix = prefix;
        this.errors = errors;
    }

    /**
     * A validator for a nested object (such as {@code transfers[3]}) whose errors are reported with this one's,
     * their fields prefixed with {@code path}.
     */
    public RequestValidator nested(JsonNode child, String path) {
        return new RequestValidator(child, prefix + path + ".", errors);
    }

    /** The array at {@code field}, with {@code min..max} elements; empty (and an error recorded) otherwise. */
    public List<JsonNode> array(String field, int min, int max) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            reject(field, REQUIRED);
            return List.of();
        }
        if (!node.isArray() || node.size() < min || node.size() > max) {
            reject(field, NOT_AN_ARRAY.formatted(min, max));
            return List.of();
        }
        List<JsonNode> elements = new ArrayList<>(node.size());
        node.forEach(elements::add);
        return elements;
    }

    /** The value at {@code field} as sent, null if absent: for a shape no method here reads. */
    public JsonNode raw(String field) {
        return body.get(field);
    }

    /** Any field outside {@code known} is an error: a typo must not silently drop a value. */
    public void allowOnly(String... known) {
        if (!body.isObject()) {
            reject("", NOT_AN_OBJECT);
            return;
        }
        Set<String> allowed = new HashSet<>(Arrays.asList(known));
        body.fieldNames().forEachRemaining(field -> {
            if (!allowed.contains(field)) {
                reject(field, UNKNOWN_FIELD);
            }
        });
    }

    public String currency(String field) {
        String value = requiredString(field);
        if (value != null && !isIso4217(value)) {
            return reject(field, NOT_A_CURRENCY);
        }
        return value;
    }

    /** An alphabetic ISO 4217 code that {@link Currency} knows, such as {@code EUR}; nothing lower-case or padded. */
    private static boolean isIso4217(String code) {
        if (!THREE_CAPITALS.matcher(code).matches()) {
            return false;
        }
        try {
            Currency.getInstance(code);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public UUID accountId(String field) {
        return uuid(field, NOT_AN_ACCOUNT_ID);
    }

    /** A required UUID in its canonical text form. */
    public UUID uuid(String field) {
        return uuid(field, NOT_A_UUID);
    }

    private UUID uuid(String field, String message) {
        String value = requiredString(field);
        if (value == null) {
            return null;
        }
        try {
            UUID id = UUID.fromString(value);
            if (id.toString().equalsIgnoreCase(value)) {
                return id;
            }
        } catch (IllegalArgumentException ignored) {
            // rejected below
        }
        return reject(field, message);
    }

    /** A JSON integer (not a string, not 1.0, not 1e3) from 1 to 10^15; 0 means invalid. */
    public long amount(String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            reject(field, REQUIRED);
            return 0;
        }
        if (!node.isIntegralNumber()) {
            reject(field, NOT_AN_AMOUNT);
            return 0;
        }
        BigInteger value = node.bigIntegerValue();
        if (value.signum() <= 0 || value.compareTo(MAX_AMOUNT) > 0) {
            reject(field, NOT_AN_AMOUNT);
            return 0;
        }
        return value.longValueExact();
    }

    /**
     * An optional string of at most {@code maxLength} characters without control or formatting characters; null if
     * absent. Bidi overrides and other invisible characters would let a statement line read as something it is not;
     * the zero-width joiner alone is allowed, as emoji sequences need it.
     */
    public String optionalText(String field, int maxLength) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            return reject(field, NOT_A_STRING);
        }
        String value = node.textValue();
        if (value.codePointCount(0, value.length()) > maxLength) {
            return reject(field, TEXT_TOO_LONG.formatted(maxLength));
        }
        if (value.codePoints().anyMatch(Character::isISOControl)) {
            return reject(field, CONTROL_CHARACTERS);
        }
        if (value.codePoints().anyMatch(RequestValidator::invisibleFormatting)) {
            return reject(field, FORMAT_CHARACTERS);
        }
        return value;
    }

    private static boolean invisibleFormatting(int codePoint) {
        int type = Character.getType(codePoint);
        return codePoint != ZERO_WIDTH_JOINER && (type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR);
    }

    public void reject(Problem.FieldError error) {
        errors.add(error);
    }

    public boolean valid() {
        return errors.isEmpty();
    }

    /** Ends validation: 400 with every field error found. */
    public void throwIfInvalid() {
        if (!errors.isEmpty()) {
            throw new ApiException(Problem.validation(errors));
        }
    }

    private String requiredString(String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return reject(field, REQUIRED);
        }
        if (!node.isTextual()) {
            return reject(field, NOT_A_STRING);
        }
        return node.textValue();
    }

    private <T> T reject(String field, String message) {
        String path = field.isEmpty() && prefix.endsWith(".") ? prefix.substring(0, prefix.length() - 1)
                : prefix + field;
        errors.add(new Problem.FieldError(path, message));
        return null;
    }
}
