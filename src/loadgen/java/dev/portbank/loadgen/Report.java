package dev.portbank.loadgen;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.HdrHistogram.Histogram;

import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The outcome of a run: throughput and latency per call type over the measured window, the invariants, and notes
 * (e.g. a scenario part the server could not serve). {@code passed} is true when every invariant holds.
 */
record Report(String scenario, int clients, int ratePerSecond, long warmupSeconds, long measuredSeconds, int accounts,
              String transport, String tokens, Map<String, CallSummary> calls, List<Invariants.Check> invariants, List<String> notes,
              boolean passed) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * One call type over the measured window: {@code completed} counts units of work done (transfers moved, reads
     * answered). {@code statuses} and {@code unanswered} count every call, warm-up included.
     */
    record CallSummary(long calls, double callsPerSecond, long completed, double completedPerSecond,
                       Latency latencyMs, Map<String, Long> statuses, long unanswered) {

        static CallSummary of(CallStats stats, double seconds) {
            Map<String, Long> statuses = new LinkedHashMap<>();
            stats.statuses().forEach((status, count) -> statuses.put(Integer.toString(status), count));
            return new CallSummary(stats.measuredCalls(), round(stats.measuredCalls() / seconds),
                    stats.measuredCompleted(), round(stats.measuredCompleted() / seconds),
                    Latency.of(stats.latencies()), statuses, stats.unanswered());
        }
    }

    /** Percentiles of the measured calls, in milliseconds. */
    record Latency(double p50, double p90, double p99, double max) {
        static Latency of(Histogram histogram) {
            return new Latency(millis(histogram.getValueAtPercentile(50)), millis(histogram.getValueAtPercentile(90)),
                    millis(histogram.getValueAtPercentile(99)), millis(histogram.getMaxValue()));
        }

        private static double millis(long micros) {
            return micros / 1000.0;
        }
    }

    static Report of(LoadConfig config, Tally tally, List<Invariants.Check> invariants, List<String> notes) {
        double seconds = config.duration().toMillis() / 1000.0;
        Map<String, CallSummary> calls = new LinkedHashMap<>();
        tally.byType().forEach((type, stats) -> calls.put(type.label(), CallSummary.of(stats, seconds)));
        return new Report(config.scenario().label(), config.clients(), config.ratePerSecond(),
                config.warmup().toSeconds(), config.duration().toSeconds(),
                config.scenario().needsAccounts() ? config.accounts() : 0, config.transport().label(), config.tokens().describe(), calls, invariants, notes,
                invariants.stream().allMatch(Invariants.Check::passed));
    }

    /** A run that did not take place because the server cannot serve its scenario. */
    static Report skipped(LoadConfig config, List<String> notes) {
        return of(config, new Tally(), List.of(), notes);
    }

    String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    String toText() {
        StringBuilder text = new StringBuilder()
                .append(String.format(Locale.ROOT, "PortBank load: scenario %s, %d clients%s, %d s measured "
                                + "after %d s warm-up, %d accounts, %s transport, %s%n", scenario, clients,
                        ratePerSecond == 0 ? "" : " paced at " + ratePerSecond + " calls/s", measuredSeconds,
                        warmupSeconds, accounts, transport, tokens));
        if (!calls.isEmpty()) {
            text.append(String.format(Locale.ROOT, "%n%-11s %10s %10s %10s %9s %9s %9s %9s  %s%n", "call", "calls",
                    "calls/s", "done/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "statuses"));
            calls.forEach((name, call) -> text.append(String.format(Locale.ROOT,
                    "%-11s %10d %10.1f %10.1f %9.2f %9.2f %9.2f %9.2f  %s%n", name, call.calls(),
                    call.callsPerSecond(), call.completedPerSecond(), call.latencyMs().p50(), call.latencyMs().p90(),
                    call.latencyMs().p99(), call.latencyMs().max(), statusText(call))));
        }
        if (!invariants.isEmpty()) {
            text.append(String.format("%ninvariants%n"));
            invariants.forEach(check -> text.append(String.format("  %s %s: %s%n",
                    check.passed() ? "PASS" : "FAIL", check.name(), check.detail())));
        }
        notes.forEach(note -> text.append(String.format("%nnote: %s%n", note)));
        return text.append(String.format("%nresult: %s", passed ? "PASS" : "FAIL")).toString();
    }

    private static String statusText(CallSummary call) {
        Stream<String> answered = call.statuses().entrySet().stream()
                .map(entry -> entry.getKey() + "=" + entry.getValue());
        Stream<String> unanswered = call.unanswered() == 0 ? Stream.empty()
                : Stream.of("no-answer=" + call.unanswered());
        return Stream.concat(answered, unanswered).collect(Collectors.joining(" "));
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
