package dev.portbank.loadgen;

import java.util.Arrays;
import java.util.Locale;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/** What the clients do for the duration of a run. */
enum Scenario {
    /** Transfers between uniformly random accounts. */
    TRANSFERS,
    /** Transfers of which 90% pay one merchant account. */
    HOT_ACCOUNT,
    /** Balance reads of random accounts. */
    BALANCE_READS,
    /** Batches of transfers, {@code LOADGEN_BATCH_SIZE} per call. */
    BATCH,
    /** Transfers, balance reads, batches, deposits and withdrawals together. */
    MIXED,
    /** A plain 404 with a valid token: the same filters as a balance read, no backing service; its baseline. */
    PLAIN;

    /** The next call of this scenario's mix; batches are left out when the server has none. */
    Operation pick(RandomGenerator random, boolean batchesAvailable) {
        return switch (this) {
            case TRANSFERS -> Operation.TRANSFER;
            case HOT_ACCOUNT -> random.nextInt(10) < 9 ? Operation.PAY_MERCHANT : Operation.TRANSFER;
            case BALANCE_READS -> Operation.READ_BALANCE;
            case BATCH -> Operation.BATCH;
            case PLAIN -> Operation.READ_MISSING;
            case MIXED -> mixed(random.nextInt(100), batchesAvailable);
        };
    }

    /** 30% balance reads, 5% deposits, 5% withdrawals, 5% batches, 5% merchant payments, the rest transfers. */
    private static Operation mixed(int percentile, boolean batchesAvailable) {
        if (percentile < 30) {
            return Operation.READ_BALANCE;
        } else if (percentile < 35) {
            return Operation.DEPOSIT;
        } else if (percentile < 40) {
            return Operation.WITHDRAW;
        } else if (percentile < 45 && batchesAvailable) {
            return Operation.BATCH;
        } else if (percentile < 50) {
            return Operation.PAY_MERCHANT;
        }
        return Operation.TRANSFER;
    }

    static Scenario parse(String text) {
        for (Scenario scenario : values()) {
            if (scenario.label().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return scenario;
            }
        }
        throw new IllegalArgumentException("LOADGEN_SCENARIO must be one of " + labels() + ", got '" + text + "'");
    }

    String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether the run opens and funds accounts (and so checks the money invariants afterwards). */
    boolean needsAccounts() {
        return this != PLAIN;
    }

    boolean usesBatches() {
        return this == BATCH || this == MIXED;
    }

    static String labels() {
        return Arrays.stream(values()).map(Scenario::label).collect(Collectors.joining(", "));
    }
}
