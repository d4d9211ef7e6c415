package dev.portbank.loadgen;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Requests through one shared Helidon {@link Http1Client} (keep-alive, its own connection cache): the candidate that
 * {@link ClientCpuComparison} measures against the raw-socket transport. Test scope only, so that the load
 * generator's jar does not need the Helidon client unless the measurement says it should.
 */
final class HelidonHttp1Transport implements Transport {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Http1Client client;
    private final String base;

    private HelidonHttp1Transport(Http1Client client, URI baseUrl) {
        this.client = client;
        this.base = baseUrl.getScheme() + "://" + baseUrl.getRawAuthority() + Transport.pathPrefix(baseUrl);
    }

    static Connector connector(URI baseUrl) {
        Http1Client client = Http1Client.builder().readTimeout(TIMEOUT).build();
        return new Connector() {
            @Override
            public Transport connect() {
                return new HelidonHttp1Transport(client, baseUrl);
            }

            @Override
            public void close() {
                client.closeResource();
            }
        };
    }

    @Override
    public Response send(Request request) throws IOException {
        Http1ClientRequest call = client.method(Method.create(request.method())).uri(base + request.path());
        if (request.token() != null) {
            call.header(HeaderNames.AUTHORIZATION, "Bearer " + request.token());
        }
        if (request.idempotencyKey() != null) {
            call.header(HeaderNames.create("Idempotency-Key"), request.idempotencyKey());
        }
        try (Http1ClientResponse response = request.body() == null ? call.request()
                : call.header(HeaderNames.CONTENT_TYPE, "application/json")
                        .submit(request.body().getBytes(StandardCharsets.UTF_8))) {
            return new Response(response.status().code(), response.as(String.class));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public void close() {
        // The client is shared; the connector closes it.
    }
}
