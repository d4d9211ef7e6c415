package dev.portbank.loadgen;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portbank.loadgen.Transport.Request;
import dev.portbank.loadgen.Transport.Response;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;

/**
 * The PortBank calls the generator makes, over one client's transport. A call that gets no answer is sent again,
 * with the same idempotency key, so money moves at most once and the outcome is known.
 */
final class BankClient {
    static final String MISSING_PATH = "/v1/no-such-resource";

    static final String CURRENCY = "EUR";
    static final String REFERENCE = "loadgen";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ATTEMPTS = 3;

    private final Transport transport;

    BankClient(Transport transport) {
        this.transport = transport;
    }

    Response openAccount(String token, String name) throws IOException {
        return send(Request.post("/v1/accounts", token, null, write(new OpenAccount(CURRENCY, name))));
    }

    Response account(String token, String accountId) throws IOException {
        return send(Request.get("/v1/accounts/" + accountId, token));
    }

    Response balance(String token, String accountId) throws IOException {
        return send(Request.get("/v1/accounts/" + accountId + "/balance", token));
    }

    Response deposit(String tellerToken, String accountId, long amount) throws IOException {
        return send(Request.post("/v1/deposits", tellerToken, newKey(),
                write(new Movement(accountId, amount, CURRENCY, REFERENCE))));
    }

    Response withdraw(String tellerToken, String accountId, long amount) throws IOException {
        return send(Request.post("/v1/withdrawals", tellerToken, newKey(),
                write(new Movement(accountId, amount, CURRENCY, REFERENCE))));
    }

    Response transfer(String token, String from, String to, long amount) throws IOException {
        return send(Request.post("/v1/transfers", token, newKey(),
                write(new Transfer(from, to, amount, CURRENCY, REFERENCE))));
    }

    /** A batch: each item's id is its idempotency key, so the request carries none of its own. */
    Response batch(String token, List<BatchItem> items) throws IOException {
        return send(Request.post("/v1/transfers/batch", token, null, write(new Batch(items))));
    }

    /** A route that does not exist, with a valid token: the filters every API call passes, then a 404. */
    Response missing(String token) throws IOException {
        return send(Request.get(MISSING_PATH, token));
    }

    static BatchItem batchItem(String from, String to, long amount) {
        return new BatchItem(newKey(), from, to, amount, CURRENCY, REFERENCE);
    }

    static JsonNode json(Response response) {
        try {
            return JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("PortBank answered " + response.status() + " with a body that is not "
                    + "JSON: " + response.body(), e);
        }
    }

    private Response send(Request request) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return transport.send(request);
            } catch (IOException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private static String newKey() {
        return UUID.randomUUID().toString();
    }

    private static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    record OpenAccount(String currency, String name) {
    }

    record Movement(String account, long amount, String currency, String reference) {
    }

    record Transfer(String from, String to, long amount, String currency, String reference) {
    }

    record BatchItem(String id, String from, String to, long amount, String currency, String reference) {
    }

    record Batch(List<BatchItem> transfers) {
    }
}
