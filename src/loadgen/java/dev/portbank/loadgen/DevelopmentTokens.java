package dev.portbank.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Development tokens from the PortBank under test: its {@code POST /dev/tokens}, which exists only while it runs in
 * {@code AUTH_DEV_MODE}. The key that signs them never leaves that process, so the generator cannot mint them itself.
 */
final class DevelopmentTokens {
    /** Longer than any run, so that no token expires mid-run (the server caps it at 30 days). */
    private static final Duration TTL = Duration.ofHours(12);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    DevelopmentTokens(URI bankUrl) {
        this.endpoint = URI.create(bankUrl.toString().replaceAll("/+$", "") + "/dev/tokens");
    }

    /** A token for {@code subject} with one role ({@code customer}, {@code teller} or {@code admin}). */
    String fetch(String subject, String role) {
        HttpResponse<String> response;
        try {
            byte[] body = JSON.writeValueAsBytes(Map.of("subject", subject, "role", role,
                    "ttlSeconds", TTL.toSeconds()));
            response = client.send(HttpRequest.newBuilder(endpoint).timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new LoadGenException("no development token: PortBank does not answer at " + endpoint + " (" + e
                    + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoadGenException("interrupted while fetching a development token", e);
        }
        if (response.statusCode() == 404) {
            throw new LoadGenException("BANK_TOKEN_MODE=dev needs a PortBank in development mode, but " + endpoint
                    + " answered 404: run it with AUTH_DEV_MODE=true, or give BANK_CUSTOMER_TOKEN and "
                    + "BANK_TELLER_TOKEN");
        }
        JsonNode token = tokenIn(response.body());
        if (response.statusCode() != 200 || token == null) {
            throw new LoadGenException("no development token: " + endpoint + " answered " + response.statusCode()
                    + " " + response.body());
        }
        return token.textValue();
    }

    private static JsonNode tokenIn(String body) {
        try {
            JsonNode token = JSON.readTree(body).path("token");
            return token.isTextual() ? token : null;
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "DevelopmentTokens[" + endpoint + "]";
    }
}
