package dev.portbank.loadgen;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The generator's settings, all from the environment: the PortBank to load ({@code BANK_URL}), where tokens come
 * from, and the shape of the load. Tokens can also be read from a file named by {@code <VAR>_FILE}.
 */
record LoadConfig(URI bankUrl, TokenSource tokens, Scenario scenario, int clients, Duration duration,
                  Duration warmup, int accounts, int batchSize, OutputFormat format, Transport.Kind transport,
                  int ratePerSecond) {

    private static final String USAGE = """
            PortBank load generator: drives a running PortBank and checks that no money was created or lost.
            Settings (environment):
              BANK_URL                  PortBank's API, e.g. http://127.0.0.1:8080
              BANK_TOKEN_MODE=dev       ask BANK_URL for development tokens (it must run with AUTH_DEV_MODE=true), or
              BANK_CUSTOMER_TOKEN, BANK_TELLER_TOKEN   tokens for a deployed PortBank (or *_FILE: read from a file)
              LOADGEN_SCENARIO          %s (default transfers)
              LOADGEN_CLIENTS           concurrent clients (default 32)
              LOADGEN_DURATION_SECONDS  measured time (default 30)
              LOADGEN_WARMUP_SECONDS    load before measuring (default 5)
              LOADGEN_ACCOUNTS          accounts to open and fund (default 1000)
              LOADGEN_BATCH_SIZE        transfers per batch call, 1..1000 (default 100)
              LOADGEN_FORMAT            text or json (default text)
              LOADGEN_TRANSPORT         socket (keep-alive HTTP/1.1, default) or jdk (java.net.http.HttpClient)
              LOADGEN_RATE              calls per second for all clients together, started on a fixed schedule
                                        and timed from when each was due (default 0: every client calls again
                                        as soon as it is answered)
            Exit status: 0 when every invariant holds, 1 when one fails, 2 when the run cannot start.""";

    static String usage() {
        return USAGE.formatted(Scenario.labels());
    }

    enum OutputFormat { TEXT, JSON }

    LoadConfig {
        if (clients < 1 || accounts < 2 || batchSize < 1 || batchSize > 1000 || duration.isZero()
                || ratePerSecond < 0) {
            throw new IllegalArgumentException("invalid load: " + clients + " clients, " + accounts + " accounts, "
                    + "batches of " + batchSize + ", " + duration + ", " + ratePerSecond + " calls/s");
        }
    }

    /** A closed-loop load: each client calls again as soon as it is answered. */
    LoadConfig(URI bankUrl, TokenSource tokens, Scenario scenario, int clients, Duration duration, Duration warmup,
               int accounts, int batchSize, OutputFormat format, Transport.Kind transport) {
        this(bankUrl, tokens, scenario, clients, duration, warmup, accounts, batchSize, format, transport, 0);
    }

    /** How long each client waits between the starts of its calls when the load is paced; 0 when it is not. */
    long callIntervalNanos() {
        return ratePerSecond == 0 ? 0 : 1_000_000_000L * clients / ratePerSecond;
    }

    static LoadConfig fromEnvironment(Map<String, String> env) {
        Environment settings = new Environment(env);
        URI bankUrl = settings.url("BANK_URL");
        return new LoadConfig(
                bankUrl,
                tokens(settings, bankUrl),
                parse(() -> Scenario.parse(settings.text("LOADGEN_SCENARIO", "transfers"))),
                settings.integer("LOADGEN_CLIENTS", 32, 1, 10_000),
                Duration.ofSeconds(settings.integer("LOADGEN_DURATION_SECONDS", 30, 1, 86_400)),
                Duration.ofSeconds(settings.integer("LOADGEN_WARMUP_SECONDS", 5, 0, 86_400)),
                settings.integer("LOADGEN_ACCOUNTS", 1000, 2, 1_000_000),
                settings.integer("LOADGEN_BATCH_SIZE", 100, 1, 1000),
                switch (settings.text("LOADGEN_FORMAT", "text").toLowerCase(Locale.ROOT)) {
                    case "text" -> OutputFormat.TEXT;
                    case "json" -> OutputFormat.JSON;
                    default -> throw new LoadGenException("LOADGEN_FORMAT must be text or json");
                },
                parse(() -> Transport.Kind.parse(settings.text("LOADGEN_TRANSPORT", "socket"))),
                settings.integer("LOADGEN_RATE", 0, 0, 10_000_000));
    }

    private static TokenSource tokens(Environment settings, URI bankUrl) {
        boolean dev = settings.text("BANK_TOKEN_MODE", "").equalsIgnoreCase("dev");
        Optional<String> customer = settings.secret("BANK_CUSTOMER_TOKEN");
        Optional<String> teller = settings.secret("BANK_TELLER_TOKEN");
        if (dev && (customer.isPresent() || teller.isPresent())) {
            throw new LoadGenException("set either BANK_TOKEN_MODE=dev or BANK_CUSTOMER_TOKEN and BANK_TELLER_TOKEN,"
                    + " not both");
        }
        if (dev) {
            return new TokenSource.Development(bankUrl);
        }
        if (customer.isEmpty() || teller.isEmpty()) {
            throw new LoadGenException("no tokens: set BANK_TOKEN_MODE=dev (for a server in AUTH_DEV_MODE) or both "
                    + "BANK_CUSTOMER_TOKEN and BANK_TELLER_TOKEN (a customer and a teller token for this PortBank)");
        }
        return new TokenSource.Given(customer.get(), teller.get());
    }

    /** Runs a parser whose IllegalArgumentException names the variable, as a LoadGenException. */
    private static <T> T parse(Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new LoadGenException(e.getMessage(), e);
        }
    }

    /** Typed reads of environment variables, failing with a message that names the variable. */
    private record Environment(Map<String, String> env) {
        String text(String name, String fallback) {
            String value = env.get(name);
            return value == null || value.isBlank() ? fallback : value.trim();
        }

        int integer(String name, int fallback, int min, int max) {
            String text = text(name, null);
            if (text == null) {
                return fallback;
            }
            try {
                int value = Integer.parseInt(text);
                if (value >= min && value <= max) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new LoadGenException(name + " must be a whole number in " + min + ".." + max + ", got '" + text
                    + "'");
        }

        URI url(String name) {
            String text = text(name, null);
            if (text == null) {
                throw new LoadGenException(name + " is not set; give PortBank's API URL, e.g. http://127.0.0.1:8080");
            }
            try {
                URI url = new URI(text);
                if (url.getHost() == null || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
                    throw new URISyntaxException(text, "not an http(s) URL with a host");
                }
                return url;
            } catch (URISyntaxException e) {
                throw new LoadGenException(name + " must be an http:// or https:// URL, got '" + text + "'", e);
            }
        }

        /** The variable's value, or the contents of the file {@code <name>_FILE} names. */
        Optional<String> secret(String name) {
            Optional<String> value = Optional.ofNullable(text(name, null));
            if (value.isPresent()) {
                return value;
            }
            return Optional.ofNullable(text(name + "_FILE", null)).map(file -> {
                try {
                    return Files.readString(Path.of(file)).trim();
                } catch (IOException e) {
                    throw new LoadGenException("cannot read " + name + "_FILE " + file + ": " + e.getMessage(), e);
                }
            });
        }
    }
}
