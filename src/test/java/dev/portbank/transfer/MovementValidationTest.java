package dev.portbank.transfer;

import dev.portbank.testing.Api;
import dev.portbank.testing.RunningPortBank;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static dev.portbank.testing.TestServer.customer;
import static dev.portbank.testing.TestServer.teller;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every way a money-moving request can be wrong, each answered with its status and problem slug, and none of them
 * moving a single minor unit.
 */
class MovementValidationTest {
    @RegisterExtension
    static final RunningPortBank BANK = new RunningPortBank();
    private static final String OWNER = "vera";
    private static String funded;
    private static String empty;
    private static String dollars;
    private static String closed;

    @BeforeAll
    static void openAccounts() {
        funded = BANK.api().openAccount(customer(OWNER), "EUR");
        empty = BANK.api().openAccount(customer(OWNER), "EUR");
        dollars = BANK.api().openAccount(customer(OWNER), "USD");
        closed = BANK.api().openAccount(customer(OWNER), "EUR");
        BANK.api().post("/v1/accounts/" + closed + "/close", customer(OWNER), "");
        BANK.api().deposit(teller("tom"), funded, 1000, "EUR");
    }

    @AfterEach
    void noBalanceChanged() {
        assertThat(BANK.api().balance(customer(OWNER), funded)).isEqualTo(1000);
        assertThat(BANK.api().balance(customer(OWNER), empty)).isZero();
        assertThat(BANK.api().balance(customer(OWNER), dollars)).isZero();
    }

    static Stream<Arguments> badTransfers() {
        return Stream.of(
                bad("amount as string", "{\"from\":\"%F\",\"to\":\"%E\",\"amount\":\"100\",\"currency\":\"EUR\"}",
                        400, "validation-failed", "amount"),
                bad("amount decimal", "{\"from\":\"%F\",\"to\":\"%E\",\"amount\":1.5,\"currency\":\"EUR\"}",
                        400, "validation-failed", "amount"),
                bad("amount 1.0", "{\"from\":\"%F\",\"to\":\"%E\",\"amount\":1.0,\"currency\":\"EUR\"}",
                        400, "validation-failed", "amount"),
                bad("amount exponent", "{\"from\":\"%F\",\"to\":\"%E\",\"amount\":1e2,\"currency\":\"EUR\"}",
                        400, "validation-failed", "amount"),
                bad("amount zero", "{\"from\":\"%F\",\"to\":\"%E\",\"amount\":0,\"currency\":\"EUR\"}",
                        400, "validation-failed", "amount"),
                bad("amount negative", "{\"from\":\"%F\",\"to\":\"%E\",\"amount\":-5,\"currency\":\"EUR\"}",
                        400, "validation-failed", "amount"),
                bad("amount MIN_VALUE", "{\"from\":\"%F\",\"to\":\"%E\",\"amount\":-2147483648,\"currency\":\"EUR\"}",
                        400, "validation-failed", "amount"),
                bad("amount above 10^15", "{\"from\":\"%F\",\"to\":\"%E\",\"amount\":1000000000000001,"
                        + "\"currency\":\"EUR\"}", 400, "validation-failed", "amount"),
                bad("amount huge", "{\"from\":\"%F\",\"to\":\"%E\",\"amount\":123456789012345678901234567890,"
                        + "\"currency\":\"EUR\"}", 400, "validation-failed", "amount"),
                bad("amount missing", "{\"from\":\"%F\",\"to\":\"%E\",\"currency\":\"EUR\"}",
                        400, "validation-failed", "amount"),
                bad("amount null", "{\"from\":\"%F\",\"to\":\"%E\",\"amount\":null,\"currency\":\"EUR\"}",
                        400, "validation-failed", "amount"),
                bad("amount boolean", "{\"from\":\"%F\",\"to\":\"%E\",\"amount\":true,\"currency\":\"EUR\"}",
                        400, "validation-failed", "amount"),
                bad("from not uuid", "{\"from\":\"12345678j\",\"to\":\"%E\",\"amount\":1,\"currency\":\"EUR\"}",
                        400, "validation-failed", "from"),
                bad("to emoji", "{\"from\":\"%F\",\"to\":\"\uD83D\uDCB8\",\"amount\":1,\"currency\":\"EUR\"}",
                        400, "validation-failed", "to"),
                bad("to number", "{\"from\":\"%F\",\"to\":42,\"amount\":1,\"currency\":\"EUR\"}",
                        400, "validation-failed", "to"),
                bad("currency lower", "{\"from\":\"%F\",\"to\":\"%E\",\"amount\":1,\"currency\":\"eur\"}",
                        400, "validation-failed", "currency"),
                bad("currency unknown", "{\"from\":\"%F\",\"to\":\"%E\",\"amount\":1,\"currency\":\"XYZ\"}",
                        400, "validation-failed", "currency"),
                bad("currency missing", "{\"from\":\"%F\",\"to\":\"%E\",\"amount\":1}",
                        400, "validation-failed", "currency"),
                bad("reference too long", "{\"from\":\"%F\",\"to\":\"%E\",\"amount\":1,\"currency\":\"EUR\","
                        + "\"reference\":\"" + "x".repeat(141) + "\"}", 400, "validation-failed", "reference"),
                bad("reference control char", "{\"from\":\"%F\",\"to\":\"%E\",\"amount\":1,\"currency\":\"EUR\","
                        + "\"reference\":\"a\\u0000b\"}", 400, "validation-failed", "reference"),
                bad("reference right-to-left override", "{\"from\":\"%F\",\"to\":\"%E\",\"amount\":1,"
                        + "\"currency\":\"EUR\",\"reference\":\"refund \\u202egnp.exe\"}", 400, "validation-failed",
                        "reference"),
                bad("reference bidi isolate", "{\"from\":\"%F\",\"to\":\"%E\",\"amount\":1,\"currency\":\"EUR\","
                        + "\"reference\":\"rent \\u2067x\\u2069\"}", 400, "validation-failed", "reference"),
                bad("reference zero-width space", "{\"from\":\"%F\",\"to\":\"%E\",\"amount\":1,"
                        + "\"currency\":\"EUR\",\"reference\":\"ren\\u200bt\"}", 400, "validation-failed", "reference"),
                bad("reference line separator", "{\"from\":\"%F\",\"to\":\"%E\",\"amount\":1,"
                        + "\"currency\":\"EUR\",\"reference\":\"a\\u2028b\"}", 400, "validation-failed", "reference"),
                bad("unknown field", "{\"from\":\"%F\",\"to\":\"%E\",\"amount\":1,\"currency\":\"EUR\","
                        + "\"amout\":5}", 400, "validation-failed", "amout"),
                bad("malformed json", "{\"from\":", 400, "malformed-json", null),
                bad("trailing garbage", "{\"from\":\"%F\",\"to\":\"%E\",\"amount\":1,\"currency\":\"EUR\"} x",
                        400, "malformed-json", null),
                bad("duplicate field", "{\"from\":\"%F\",\"to\":\"%E\",\"amount\":1,\"amount\":2,"
                        + "\"currency\":\"EUR\"}", 400, "malformed-json", null),
                bad("array body", "[1,2]", 400, "malformed-json", null),
                bad("same account", "{\"from\":\"%F\",\"to\":\"%F\",\"amount\":1,\"currency\":\"EUR\"}",
                        422, "same-account", null),
                bad("currency mismatch", "{\"from\":\"%F\",\"to\":\"%D\",\"amount\":1,\"currency\":\"EUR\"}",
                        422, "currency-mismatch", null),
                bad("wrong currency", "{\"from\":\"%F\",\"to\":\"%E\",\"amount\":1,\"currency\":\"USD\"}",
                        422, "currency-mismatch", null),
                bad("closed account", "{\"from\":\"%F\",\"to\":\"%C\",\"amount\":1,\"currency\":\"EUR\"}",
                        422, "account-closed", null),
                bad("insufficient funds", "{\"from\":\"%F\",\"to\":\"%E\",\"amount\":1001,\"currency\":\"EUR\"}",
                        422, "insufficient-funds", null),
                bad("empty account debit", "{\"from\":\"%E\",\"to\":\"%F\",\"amount\":1,\"currency\":\"EUR\"}",
                        422, "insufficient-funds", null),
                bad("unknown to", "{\"from\":\"%F\",\"to\":\"" + UUID.randomUUID() + "\",\"amount\":1,"
                        + "\"currency\":\"EUR\"}", 404, "account-not-found", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTransfers")
    void badTransferIsRefusedAndMovesNothing(String name, String body, int status, String slug, String field) {
        Api.Response response = BANK.api().move("/v1/transfers", customer(OWNER), body.replace("%F", funded)
                .replace("%E", empty).replace("%D", dollars).replace("%C", closed));

        assertProblem(response, status, slug, field);
    }

    static Stream<Arguments> badDeposits() {
        return Stream.of(
                bad("unknown account", "{\"account\":\"" + UUID.randomUUID() + "\",\"amount\":1,\"currency\":\"EUR\"}",
                        404, "account-not-found", null),
                bad("transfer fields", "{\"from\":\"%F\",\"account\":\"%F\",\"amount\":1,\"currency\":\"EUR\"}",
                        400, "validation-failed", "from"),
                bad("currency mismatch", "{\"account\":\"%D\",\"amount\":1,\"currency\":\"EUR\"}",
                        422, "currency-mismatch", null),
                bad("account missing", "{\"amount\":1,\"currency\":\"EUR\"}", 400, "validation-failed", "account"),
                bad("amount float", "{\"account\":\"%F\",\"amount\":0.5,\"currency\":\"EUR\"}",
                        400, "validation-failed", "amount"));
    }

    @ParameterizedTest(name = "deposit: {0}")
    @MethodSource("badDeposits")
    void badDepositIsRefusedAndMovesNothing(String name, String body, int status, String slug, String field) {
        Api.Response response = BANK.api().move("/v1/deposits", teller("tom"), body.replace("%F", funded)
                .replace("%D", dollars));

        assertProblem(response, status, slug, field);
    }

    @ParameterizedTest(name = "withdrawal: {0}")
    @MethodSource("badDeposits")
    void badWithdrawalIsRefusedAndMovesNothing(String name, String body, int status, String slug, String field) {
        Api.Response response = BANK.api().move("/v1/withdrawals", teller("tom"), body.replace("%F", funded)
                .replace("%D", dollars));

        assertProblem(response, status, slug, field);
    }

    @Test
    void overdrawingWithdrawalIsInsufficientFunds() {
        Api.Response response = BANK.api().move("/v1/withdrawals", teller("tom"),
                Map.of("account", funded, "amount", 1001, "currency", "EUR"));

        assertProblem(response, 422, "insufficient-funds", null);
    }

    @Test
    void missingIdempotencyKeyIs400() {
        Api.Response response = BANK.api().post("/v1/transfers", customer(OWNER),
                Map.of("from", funded, "to", empty, "amount", 1, "currency", "EUR"));

        assertProblem(response, 400, "idempotency-key-missing", null);
    }

    @Test
    void invalidIdempotencyKeyIs400() {
        Map<String, Object> body = Map.of("from", funded, "to", empty, "amount", 1, "currency", "EUR");

        assertProblem(BANK.api().move("/v1/transfers", customer(OWNER), body, "x".repeat(256)), 400,
                "idempotency-key-invalid", null);
    }

    @Test
    void nonAsciiIdempotencyKeyIs400() throws Exception {
        String json = "{\"from\":\"" + funded + "\",\"to\":\"" + empty + "\",\"amount\":1,\"currency\":\"EUR\"}";
        // Java's HTTP client rewrites non-ASCII header values, so this request goes out byte for byte.
        byte[] head = ("POST /v1/transfers HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + "Authorization: Bearer " + customer(OWNER) + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + json.length() + "\r\nIdempotency-Key: caf").getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = new Socket("127.0.0.1", BANK.server().portBank().port())) {
            OutputStream out = socket.getOutputStream();
            out.write(head);
            out.write(new byte[] {(byte) 0xC3, (byte) 0xA9, '\r', '\n', '\r', '\n'});
            out.write(json.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.setSoTimeout(10_000);
            StringBuilder answer = new StringBuilder();
            byte[] buffer = new byte[4096];
            int read;
            while (!answer.toString().endsWith("}") && (read = socket.getInputStream().read(buffer)) > 0) {
                answer.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
            }
            assertThat(answer.toString()).startsWith("HTTP/1.1 400").contains("idempotency-key-invalid");
        }
    }

    @Test
    void wrongContentTypeIs415() {
        Api.Response response = BANK.api().send("POST", "/v1/transfers", customer(OWNER), "from=x",
                Map.of("Content-Type", "application/x-www-form-urlencoded", "Idempotency-Key", "ct-1"));

        assertProblem(response, 415, "unsupported-media-type", null);
    }

    @Test
    void bodyOver64KiBIs413() {
        String body = "{\"from\":\"" + funded + "\",\"to\":\"" + empty + "\",\"amount\":1,\"currency\":\"EUR\","
                + "\"reference\":\"" + "x".repeat(70_000) + "\"}";

        assertProblem(BANK.api().move("/v1/transfers", customer(OWNER), body), 413, "body-too-large", null);
    }

    private static void assertProblem(Api.Response response, int status, String slug, String field) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.contentType()).isEqualTo("application/problem+json");
        assertThat(response.json().path("type").asText()).endsWith("/problems/" + slug);
        assertThat(response.json().path("title").asText()).isNotBlank();
        assertThat(response.json().path("status").asInt()).isEqualTo(status);
        assertThat(response.json().path("detail").asText()).isNotBlank();
        assertThat(response.raw()).doesNotContain("Exception").doesNotContain("\tat ");
        if (field != null) {
            assertThat(response.json().path("errors").findValuesAsText("field")).contains(field);
        }
    }

    private static Arguments bad(String name, String body, int status, String slug, String field) {
        return Arguments.of(name, body, status, slug, field);
    }
}
