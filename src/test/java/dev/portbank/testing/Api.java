package dev.portbank.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portbank.auth.Role;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/** A small HTTP client for tests: JSON in and out, bearer tokens, idempotency keys. */
public final class Api {
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .executor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor())
            .build();

    private final String baseUrl;

    public Api(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public Api(int port) {
        this("http://127.0.0.1:" + port);
    }

    /** The status of a GET whose path is sent byte for byte, so no client tidies it first (no dot segments removed). */
    public int rawStatus(String path) throws IOException {
        URI base = URI.create(baseUrl);
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }

    /** An answer: status, headers and the body, parsed when it is JSON. */
    public record Response(int status, java.net.http.HttpHeaders headers, String raw) {
        public JsonNode json() {
            try {
                return JSON.readTree(raw);
            } catch (IOException e) {
                throw new AssertionError("not JSON (status " + status + "): " + raw, e);
            }
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public String contentType() {
            return header("Content-Type");
        }

        /** The slug at the end of a problem's type. */
        public String problem() {
            String type = json().path("type").asText();
            return type.substring(type.lastIndexOf('/') + 1);
        }

        public String text(String field) {
            return json().path(field).asText();
        }

        @Override
        public String toString() {
            return status + " " + raw;
        }
    }

    public Response get(String path, String token) {
        return send(request(path, token).GET().build());
    }

    public Response post(String path, String token, Object body) {
        return post(path, token, body, Map.of());
    }

    public Response post(String path, String token, Object body, Map<String, String> headers) {
        HttpRequest.Builder builder = request(path, token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : write(body)));
        headers.forEach(builder::header);
        return send(builder.build());
    }

    /** A money-moving POST with a fresh idempotency key. */
    public Response move(String path, String token, Object body) {
        return move(path, token, body, UUID.randomUUID().toString());
    }

    public Response move(String path, String token, Object body, String idempotencyKey) {
        return post(path, token, body, Map.of("Idempotency-Key", idempotencyKey));
    }

    public Response send(String method, String path, String token, String body, Map<String, String> headers) {
        HttpRequest.Builder builder = request(path, token).method(method, body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(builder::header);
        return send(builder.build());
    }

    // Helpers for the common flows.

    /**
     * A development token from this instance's {@code POST /dev/tokens}: only the process behind it holds the key
     * that signs them, so a process started apart from the test is asked, never minted for.
     */
    public String devToken(String subject, Role role) {
        Response response = post("/dev/tokens", null, Map.of("subject", subject, "role", role.claimValue()));
        if (response.status() != 200) {
            throw new AssertionError("development token: " + response);
        }
        return response.text("token");
    }

    public String customer(String name) {
        return devToken(name, Role.CUSTOMER);
    }

    public String teller(String name) {
        return devToken(name, Role.TELLER);
    }

    public String openAccount(String token, String currency) {
        Response response = post("/v1/accounts", token, Map.of("currency", currency, "name", "test"));
        if (response.status() != 201) {
            throw new AssertionError("open account: " + response);
        }
        return response.text("id");
    }

    public void deposit(String tellerToken, String account, long amount, String currency) {
        Response response = move("/v1/deposits", tellerToken,
                Map.of("account", account, "amount", amount, "currency", currency));
        if (response.status() != 201) {
            throw new AssertionError("deposit: " + response);
        }
    }

    public long balance(String token, String account) {
        Response response = get("/v1/accounts/" + account + "/balance", token);
        if (response.status() != 200) {
            throw new AssertionError("balance: " + response);
        }
        return response.json().path("balance").asLong();
    }

    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private static Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
