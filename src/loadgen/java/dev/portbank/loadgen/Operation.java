package dev.portbank.loadgen;

/** One call a client can make; a {@link Scenario} is a mix of them. */
enum Operation {
    /** A transfer between two random accounts. */
    TRANSFER(CallType.TRANSFER),
    /** A transfer from a random account to the merchant. */
    PAY_MERCHANT(CallType.TRANSFER),
    READ_BALANCE(CallType.BALANCE),
    /** A batch of transfers out of one random account. */
    BATCH(CallType.BATCH),
    /** A teller deposit into a random account. */
    DEPOSIT(CallType.DEPOSIT),
    /** A teller withdrawal from a random account. */
    WITHDRAW(CallType.WITHDRAWAL),
    /** A plain 404: a route that does not exist, with a valid token. */
    READ_MISSING(CallType.PLAIN);

    private final CallType type;

    Operation(CallType type) {
        this.type = type;
    }

    CallType type() {
        return type;
    }
}
