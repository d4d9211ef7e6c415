package dev.portbank.platform;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Gives every request an id ({@code X-Request-Id}: the client's when it sent a sane one), echoes it, writes one access
 * log line, and records the request in the latency histogram by route and status.
 */
public final class RequestLog implements Filter {
    public static final HeaderName REQUEST_ID = HeaderNames.create("X-Request-Id");
    private static final Pattern SANE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final EventLog ACCESS = EventLog.named("access");

    private final MeterRegistry registry;

    public RequestLog() {
        this.registry = Metrics.globalRegistry();
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        String requestId = request.headers().first(REQUEST_ID)
                .filter(id -> SANE_REQUEST_ID.matcher(id).matches())
                .orElseGet(() -> UUID.randomUUID().toString());
        RequestId.set(requestId);
        response.header(REQUEST_ID, requestId);
        long start = System.nanoTime();
        try {
            chain.proceed();
        } finally {
            long nanos = System.nanoTime() - start;
            int status = response.status().code();
            String route = request.matchingPattern().orElse("unmatched");
            ACCESS.info("request", "method", request.prologue().method().text(),
                    "path", request.prologue().uriPath().path(), "status", status,
                    "durationMs", nanos / 1_000_000, "requestId", requestId);
            timer(request.prologue().method().text(), route, status).record(Duration.ofNanos(nanos));
            RequestId.clear();
        }
    }

    private Timer timer(String method, String route, int status) {
        return registry.getOrCreate(Timer.builder("portbank.http.requests")
                .description("API requests by route and status")
                .baseUnit(Meter.BaseUnits.SECONDS)
                .tags(List.of(Tag.create("method", method), Tag.create("route", route),
                        Tag.create("status", Integer.toString(status))))
                .publishPercentileHistogram(true));
    }
}
