package dev.portbank.loadgen;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Client CPU per request of each transport (raw socket, the JDK's HttpClient, Helidon's Http1Client): balance reads of
 * one account by {@code CLIENTS} concurrent clients for {@code SECONDS} per round, rounds alternating after
 * {@code WARMUP_SECONDS} of each for the JIT, this JVM's CPU time divided by the requests answered. Not a test: run by hand against a PortBank in {@code AUTH_DEV_MODE} at
 * {@code BANK_URL}, as BENCHMARKS.md describes.
 */
final class ClientCpuComparison {
    private static final Map<String, Function<URI, Transport.Connector>> TRANSPORTS = new LinkedHashMap<>();

    static {
        TRANSPORTS.put("socket", url -> Transport.connector(Transport.Kind.SOCKET, url));
        TRANSPORTS.put("jdk", url -> Transport.connector(Transport.Kind.JDK, url));
        TRANSPORTS.put("helidon", HelidonHttp1Transport::connector);
    }

    private ClientCpuComparison() {
    }

    public static void main(String[] args) throws Exception {
        URI url = URI.create(System.getenv("BANK_URL"));
        int clients = Integer.parseInt(System.getenv().getOrDefault("CLIENTS", "64"));
        Duration round = Duration.ofSeconds(Long.parseLong(System.getenv().getOrDefault("SECONDS", "15")));
        int rounds = Integer.parseInt(System.getenv().getOrDefault("ROUNDS", "2"));
        Duration warmup = Duration.ofSeconds(Long.parseLong(System.getenv().getOrDefault("WARMUP_SECONDS", "15")));
        String token = new DevelopmentTokens(url).fetch("cpu-" + UUID.randomUUID(), "customer");
        String account;
        try (Transport transport = new SocketTransport(url)) {
            account = BankClient.json(new BankClient(transport).openAccount(token, "cpu")).path("id").asText();
        }
        for (var transport : TRANSPORTS.entrySet()) {
            measure(transport.getValue().apply(url), clients, warmup, token, account);
        }
        System.out.println("transport  round  reads/s  client CPU per read (µs)");
        for (int r = 1; r <= rounds; r++) {
            for (var transport : TRANSPORTS.entrySet()) {
                double[] result = measure(transport.getValue().apply(url), clients, round, token, account);
                System.out.printf(Locale.ROOT, "%-9s  %5d  %7.0f  %6.1f%n", transport.getKey(), r, result[0],
                        result[1]);
            }
        }
    }

    /** Reads per second and client CPU microseconds per read. */
    private static double[] measure(Transport.Connector connector, int clients, Duration duration, String token,
                                    String account) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        LongAdder reads = new LongAdder();
        long cpuBefore = os.getProcessCpuTime();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        try (connector; ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                running.add(executor.submit(() -> {
                    try (Transport transport = connector.connect()) {
                        BankClient client = new BankClient(transport);
                        while (System.nanoTime() < end) {
                            if (client.balance(token, account).status() == 200) {
                                reads.increment();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> client : running) {
                client.get();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuMicros = (os.getProcessCpuTime() - cpuBefore) / 1e3;
        return new double[] {reads.sum() / seconds, cpuMicros / Math.max(1, reads.sum())};
    }
}
