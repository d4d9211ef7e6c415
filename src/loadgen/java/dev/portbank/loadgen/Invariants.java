package dev.portbank.loadgen;

import java.util.List;

/** The checks a run ends with, each one passed or failed with the numbers that decided it. */
final class Invariants {

    private Invariants() {
    }

    record Check(String name, boolean passed, String detail) {
    }

    /** Money was neither created nor lost, and no account was overdrawn. */
    static List<Check> money(List<Long> balances, ExpectedTotal.Totals totals) {
        long sum = balances.stream().mapToLong(Long::longValue).sum();
        long negative = balances.stream().filter(balance -> balance < 0).count();
        long lowest = balances.stream().mapToLong(Long::longValue).min().orElse(0);
        return List.of(
                new Check("money conserved", sum == totals.expected(), "sum of " + balances.size()
                        + " balances " + sum + (sum == totals.expected() ? " = " : " != ") + "deposited "
                        + totals.deposited() + " - withdrawn " + totals.withdrawn()),
                new Check("no negative balance", negative == 0, negative + " negative; lowest balance " + lowest));
    }

    /** Every call got an answer, and none was a server error. */
    static List<Check> service(long serverErrors, long unanswered) {
        return List.of(
                new Check("no server error", serverErrors == 0, serverErrors + " answers were 5xx"),
                new Check("every call answered", unanswered == 0, unanswered + " calls got no answer after "
                        + "retries"));
    }
}
