package dev.portbank.loadgen;

/** Where the generator's bearer tokens come from. */
sealed interface TokenSource {

    /** A token for the customer principal {@code principal}, who will own the accounts it opens. */
    String customer(String principal);

    String teller();

    String describe();

    /**
     * Tokens minted here with the development key: one customer principal per account. Only a server in
     * {@code AUTH_DEV_MODE} accepts them.
     */
    record Development() implements TokenSource {
        private static final String TELLER = "loadgen-teller";

        @Override
        public String customer(String principal) {
            return DevelopmentTokens.mint(principal, "customer");
        }

        @Override
        public String teller() {
            return DevelopmentTokens.mint(TELLER, "teller");
        }

        @Override
        public String describe() {
            return "development tokens, one customer per account";
        }
    }

    /** Tokens the operator issued for a deployed PortBank: every account belongs to the one customer. */
    record Given(String customerToken, String tellerToken) implements TokenSource {
        @Override
        public String customer(String principal) {
            return customerToken;
        }

        @Override
        public String teller() {
            return tellerToken;
        }

        @Override
        public String describe() {
            return "operator-issued tokens, one customer for every account";
        }

        @Override
        public String toString() {
            return "Given[tokens redacted]";
        }
    }
}
