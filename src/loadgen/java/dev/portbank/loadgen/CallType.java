package dev.portbank.loadgen;

/** The kinds of call the load generator makes, each reported on its own. */
enum CallType {
    TRANSFER("transfer"),
    BATCH("batch"),
    BALANCE("balance"),
    DEPOSIT("deposit"),
    WITHDRAWAL("withdrawal"),
    PLAIN("plain");

    private final String label;

    CallType(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }
}
