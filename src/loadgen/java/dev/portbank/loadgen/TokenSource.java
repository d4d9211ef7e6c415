package dev.portbank.loadgen;

import java.net.URI;

/** Where the generator's bearer tokens come from. */
sealed interface TokenSource {

    /** A token for the customer principal {@code principal}, who will own the accounts it opens. */
    String customer(String principal);

    String teller();

    String describe();

    /**
     * Development tokens that the PortBank under test mints (it must run in {@code AUTH_DEV_MODE}): one customer
     * principal per account.
     */
    final class Development implements TokenSource {
        private static final String TELLER = "loadgen-teller";
        private final DevelopmentTokens tokens;

        Development(URI bankUrl) {
            this.tokens = new DevelopmentTokens(bankUrl);
        }

        @Override
        public String customer(String principal) {
            return tokens.fetch(principal, "customer");
        }

        @Override
        public String teller() {
            return tokens.fetch(TELLER, "teller");
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
