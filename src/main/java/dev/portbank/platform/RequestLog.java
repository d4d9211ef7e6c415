package dev.portbank.platform;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
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
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Gives every request an id ({@code X-Request-Id}: the client's when it sent a sane one), echoes it, writes one access
 * log line, and records the request in the latency histogram by route and status. Every label of that histogram has
 * a bounded set of values, whatever a client sends: a method outside HTTP's registered set is refused with 501 and
 * counted as {@code OTHER}, a path no route claims is {@code unmatched}, never the path itself.
 */
public final class RequestLog implements Filter {
    public static final HeaderName REQUEST_ID = HeaderNames.create("X-Request-Id");
    private static final Pattern SANE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final EventLog ACCESS = EventLog.named("access");
    private static final Set<String> KNOWN_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH",
            "OPTIONS", "TRACE", "CONNECT");
    static final String OTHER_METHOD = "OTHER";
    static final String UNMATCHED_ROUTE = "unmatched";

    private final MeterRegistry registry;
    /** Looking a timer up in the registry builds its tags every time; the labels are bounded, so is this map. */
    private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();

    public RequestLog() {
        this.registry = Metrics.globalRegistry();
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        String requestId = request.headers().first(REQUEST_ID)
                .filter(id -> SANE_REQUEST_ID.matcher(id).matches())
                .orElseGet(RequestLog::newRequestId);
        RequestId.set(requestId);
        response.header(REQUEST_ID, requestId);
        long start = System.nanoTime();
        String method = request.prologue().method().text();
        boolean knownMethod = KNOWN_METHODS.contains(method);
        try {
            if (knownMethod) {
                chain.proceed();
            } else {
                Json.sendProblem(response, Problem.of(Status.NOT_IMPLEMENTED_501, "method-not-implemented",
                        "Method not implemented", "PortBank implements only the standard HTTP methods"));
            }
        } finally {
            long nanos = System.nanoTime() - start;
            int status = response.status().code();
            String route = knownMethod ? request.matchingPattern().orElse(UNMATCHED_ROUTE) : UNMATCHED_ROUTE;
            ACCESS.info("request", "method", method, "path", request.prologue().uriPath().path(), "status", status,
                    "durationMs", nanos / 1_000_000, "requestId", requestId);
            timer(knownMethod ? method : OTHER_METHOD, route, status).record(Duration.ofNanos(nanos));
            RequestId.clear();
        }
    }

    /**
     * A random (version 4) UUID. A request id needs to be unique, not secret: {@link UUID#randomUUID()} draws from
     * one shared {@code SecureRandom}, which every request thread would queue for.
     */
    static String newRequestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & ~(0xC000_0000_0000_0000L)) | 0x8000_0000_0000_0000L;
        return new UUID(high, low).toString();
    }

    private Timer timer(String method, String route, int status) {
        return timers.computeIfAbsent(new TimerKey(method, route, status), this::register);
    }

    private record TimerKey(String method, String route, int status) {
    }

    private Timer register(TimerKey key) {
        return registry.getOrCreate(Timer.builder("portbank.http.requests")
                .description("API requests by route and status")
                .baseUnit(Meter.BaseUnits.SECONDS)
                .tags(List.of(Tag.create("method", key.method()), Tag.create("route", key.route()),
                        Tag.create("status", Integer.toString(key.status()))))
                .publishPercentileHistogram(true));
    }
}
