package dev.portbank.loadgen;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/** One client's {@link CallStats} per call type, and after the run everyone's together. */
final class Tally {
    private final Map<CallType, CallStats> byType = new EnumMap<>(CallType.class);

    CallStats of(CallType type) {
        return byType.computeIfAbsent(type, ignored -> new CallStats());
    }

    Tally merge(Tally other) {
        other.byType.forEach((type, stats) -> of(type).add(stats));
        return this;
    }

    Map<CallType, CallStats> byType() {
        return Collections.unmodifiableMap(byType);
    }

    long serverErrors() {
        return byType.values().stream().mapToLong(CallStats::serverErrors).sum();
    }

    long unanswered() {
        return byType.values().stream().mapToLong(CallStats::unanswered).sum();
    }
}
