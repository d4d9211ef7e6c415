package dev.portbank;

import dev.portbank.testing.Api;
import dev.portbank.testing.KeyedLoad;
import dev.portbank.testing.TestDatabase;
import dev.portbank.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three PortBank processes on one database and one Redis, behind a real nginx configured as the README's "Failure
 * behaviour" says (the settings the chart's Ingress annotations give ingress-nginx). Under steady load, each instance
 * is restarted in turn as a Deployment's rolling update does it: SIGTERM, wait for the exit, start a new one, wait
 * until it is ready. No client request may fail, and every acknowledged transfer is in the ledger exactly once.
 */
@Timeout(420)
class RollingRestartIT {
    private static final int INSTANCES = 3;
    private static final int CLIENTS = 12;
    private static final int ACCOUNTS = 12;

    @Test
    void everyInstanceRestartedInTurnUnderLoadFailsNoRequest() throws Exception {
        Path nginxBinary = nginx();
        Path work = Files.createDirectories(Path.of("target", "rolling-restart-" + UUID.randomUUID().toString()
                .substring(0, 8)).toAbsolutePath());
        List<PortBankInstance> instances = new ArrayList<>();
        Process nginx = null;
        try (TestDatabase database = TestDatabase.create(); TestRedis redis = TestRedis.start()) {
            for (int i = 0; i < INSTANCES; i++) {
                instances.add(PortBankInstance.start(database, redis, Map.of()));
            }
            int proxyPort = PortBankInstance.freePort();
            nginx = startNginx(nginxBinary, work, proxyPort, instances);
            Api api = new Api(proxyPort);
            awaitProxy(api);
            List<KeyedLoad.Account> accounts = KeyedLoad.openAccounts(api, ACCOUNTS, 1_000_000,
                    PortBankInstance::token);

            KeyedLoad load = KeyedLoad.start(api, accounts, CLIENTS, PortBankInstance::token);
            try {
                Thread.sleep(3_000);
                for (int i = 0; i < INSTANCES; i++) {
                    PortBankInstance instance = instances.get(i);
                    long started = System.nanoTime();
                    int exit = instance.terminate(Duration.ofSeconds(40));
                    long stopped = System.nanoTime();
                    assertThat(exit).as("instance %d exits 0 after draining", i).isZero();
                    instance.startAgain();
                    System.out.printf("rolling restart: instance %d drained and exited in %d ms, its replacement "
                                    + "was ready %d ms later%n", i, Duration.ofNanos(stopped - started).toMillis(),
                            Duration.ofNanos(System.nanoTime() - stopped).toMillis());
                    Thread.sleep(2_000);
                }
                Thread.sleep(3_000);
            } finally {
                load.stop();
            }

            System.out.printf("rolling restart: %d clients, %d requests, answers %s, %d connection errors, %d "
                            + "acknowledged transfers, nginx passed %d requests on to another instance%n",
                    CLIENTS, load.requests(), load.statuses(), load.connectionErrors(), load.acknowledged().size(),
                    retriedUpstream(work));
            assertThat(load.failures()).as("failed client requests").isEmpty();
            assertThat(load.connectionErrors()).as("client connections that failed").isZero();
            assertThat(load.statuses().keySet()).as("statuses clients saw").isSubsetOf(200, 201, 422);
            assertThat(load.acknowledged()).as("transfers acknowledged").hasSizeGreaterThan(100);
            try (Connection connection = database.connect()) {
                load.assertLedgerExact(connection, ACCOUNTS);
            }
        } finally {
            if (nginx != null) {
                nginx.destroy();
                nginx.waitFor(10, TimeUnit.SECONDS);
            }
            for (PortBankInstance instance : instances) {
                instance.close();
            }
        }
    }

    /** nginx as the README's "Failure behaviour" configures it in front of PortBank. */
    static String nginxConfig(Path work, int listenPort, List<Integer> upstreamPorts) {
        StringBuilder servers = new StringBuilder();
        for (int port : upstreamPorts) {
            servers.append("        server 127.0.0.1:").append(port).append(" max_fails=1 fail_timeout=2s;\n");
        }
        return """
                daemon off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                events { worker_connections 1024; }
                http {
                    log_format upstreams '$status $request_method $request_uri upstreams=$upstream_addr statuses=$upstream_status';
                    access_log %1$s/access.log upstreams;
                    client_body_temp_path %1$s/tmp/body;
                    proxy_temp_path %1$s/tmp/proxy;
                    fastcgi_temp_path %1$s/tmp/fastcgi;
                    uwsgi_temp_path %1$s/tmp/uwsgi;
                    scgi_temp_path %1$s/tmp/scgi;
                    upstream portbank {
                %2$s        keepalive 32;
                    }
                    server {
                        listen 127.0.0.1:%3$d;
                        location / {
                            proxy_pass http://portbank;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                            proxy_set_header Host $host;
                            proxy_connect_timeout 2s;
                            proxy_read_timeout 60s;
                            proxy_next_upstream error timeout http_502 http_503 non_idempotent;
                            proxy_next_upstream_tries 3;
                            proxy_next_upstream_timeout 10s;
                        }
                    }
                }
                """.formatted(work, servers, listenPort);
    }

    private static Process startNginx(Path binary, Path work, int port, List<PortBankInstance> instances)
            throws Exception {
        Path tmp = Files.createDirectories(work.resolve("tmp"));
        tmp.toFile().setWritable(true, false); // nginx's workers may run as another user when the test runs as root
        Path config = work.resolve("nginx.conf");
        Files.writeString(config, nginxConfig(work, port, instances.stream().map(PortBankInstance::port).toList()));
        Process nginx = new ProcessBuilder(binary.toString(), "-p", work.toString(), "-c", config.toString(),
                "-e", work.resolve("error.log").toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("nginx.out").toFile()).start();
        Thread.sleep(300);
        if (!nginx.isAlive()) {
            throw new AssertionError("nginx did not start (exit " + nginx.exitValue() + "):\n"
                    + Files.readString(work.resolve("nginx.out")) + readIfThere(work.resolve("error.log")));
        }
        return nginx;
    }

    private static void awaitProxy(Api api) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                if (api.get("/openapi", null).status() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // nginx still starting
            }
            assertThat(System.nanoTime()).as("nginx answers").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** Requests that nginx sent to more than one instance (its access log lists each upstream tried). */
    private static long retriedUpstream(Path work) throws IOException {
        try (var lines = Files.lines(work.resolve("access.log"))) {
            return lines.filter(line -> line.contains("upstreams=") && line.substring(line.indexOf("upstreams="))
                    .contains(",")).count();
        }
    }

    /** nginx from PATH or /usr/sbin, else installed from Debian's packages by scripts/install-nginx.sh. */
    private static Path nginx() throws Exception {
        Process install = new ProcessBuilder("bash", "scripts/install-nginx.sh").redirectErrorStream(true).start();
        String output = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(install.waitFor(600, TimeUnit.SECONDS)).as("install-nginx.sh finished").isTrue();
        assertThat(install.exitValue()).as("scripts/install-nginx.sh:\n%s", output).isZero();
        List<String> lines = output.strip().lines().toList();
        Path binary = Path.of(lines.get(lines.size() - 1));
        assertThat(Files.isExecutable(binary)).as("nginx binary %s", binary).isTrue();
        return binary;
    }

    private static String readIfThere(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }
}
