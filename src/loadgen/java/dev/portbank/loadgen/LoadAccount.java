package dev.portbank.loadgen;

/** An account the generator opened, with a token of the customer who owns it. */
record LoadAccount(String id, String ownerToken) {
    @Override
    public String toString() {
        return id;
    }
}
