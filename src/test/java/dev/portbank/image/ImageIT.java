package dev.portbank.image;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.HealthState;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ContainerConfig;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import dev.portbank.testing.Api;
import dev.portbank.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame.OutputType;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.Wait;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The container image, built from the repository's Dockerfile and run as the Helm chart runs it: read-only root
 * filesystem with a tmpfs /tmp, no capabilities, no privilege escalation. One test per property of the image.
 * Needs a Docker engine and the stand-in base images: {@code make image-test} (scripts/container-setup.sh first).
 */
class ImageIT {
    private static final int API_PORT = 8080;
    private static final int ADMIN_PORT = 8081;
    private static final String SERVICE_USER = "10001";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration HEALTHY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration MIGRATE_TIMEOUT = Duration.ofSeconds(120);
    /** Docker's default grace period before it kills the process. */
    private static final int STOP_TIMEOUT_SECONDS = 10;

    private static String image;
    private static HostServices services;
    /** One serving container, with the default ports, for the tests that only look at it. */
    private static GenericContainer<?> serving;

    @BeforeAll
    static void buildTheImageAndStartOneContainer() {
        image = PortBankImage.get();
        services = HostServices.start();
        serving = portBank(Map.of(), API_PORT);
        serving.start();
    }

    @AfterAll
    static void removeContainersAndDatabase() {
        if (serving != null) {
            serving.stop();
        }
        if (services != null) {
            services.close();
        }
    }

    @Test
    void mappedPortsServeTheApiAndTheAdminEndpoints() {
        Api api = api(serving, API_PORT);
        Api admin = api(serving, ADMIN_PORT);

        assertThat(api.get("/v1/accounts", api.customer("image")).status()).isEqualTo(200);
        assertThat(api.get("/openapi", null).status()).isEqualTo(200);
        assertThat(api.get("/observe/health/ready", null).status()).as("health is on the admin port only")
                .isEqualTo(404);
        assertThat(admin.get("/observe/metrics", null).raw()).contains("# TYPE");
        assertThat(imageConfig().getExposedPorts()).extracting(ExposedPort::getPort)
                .containsExactlyInAnyOrder(API_PORT, ADMIN_PORT);
    }

    @Test
    void portVariableMovesTheApi() {
        int port = 9000;
        try (GenericContainer<?> moved = portBank(Map.of("PORT", Integer.toString(port)), port)) {
            moved.start();

            assertThat(api(moved, port).get("/openapi", null).status()).isEqualTo(200);
            assertThat(moved.getLogs(OutputType.STDOUT)).contains("PortBank listening on http://0.0.0.0:" + port);
        }
    }

    @Test
    void readinessAndTheOtherProbesAnswerOnTheAdminPort() {
        Api admin = api(serving, ADMIN_PORT);

        // The wait strategy already saw /observe/health/ready answer 200 within READY_TIMEOUT.
        for (String probe : List.of("/observe/health/ready", "/observe/health/live", "/observe/health/started")) {
            assertThat(admin.get(probe, null).status()).as(probe).isEqualTo(200);
        }
        assertThat(admin.get("/observe/health", null).raw()).contains("migrationsApplied");
    }

    @Test
    void healthcheckReportsHealthy() throws InterruptedException {
        HealthCheck healthcheck = imageConfig().getHealthcheck();
        assertThat(healthcheck).as("the image's HEALTHCHECK").isNotNull();
        assertThat(healthcheck.getTest()).contains("healthcheck");

        // The first probe runs one interval (15 s) after the start.
        long deadline = System.nanoTime() + HEALTHY_TIMEOUT.toNanos();
        String status = health(serving).getStatus();
        while ("starting".equals(status) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            status = health(serving).getStatus();
        }
        assertThat(status).as("HEALTHCHECK status; last probes: %s", health(serving).getLog()).isEqualTo("healthy");
    }

    @Test
    void theJvmRunsAsAnUnprivilegedUserAndIsProcessOne() throws Exception {
        assertThat(imageConfig().getUser()).isEqualTo(SERVICE_USER + ":" + SERVICE_USER);

        // PID 1, so that `docker stop`'s SIGTERM reaches the JVM itself (exec-form ENTRYPOINT).
        String status = exec(serving, "cat", "/proc/1/status").getStdout();
        assertThat(status).containsPattern("(?m)^Name:\\s+java$")
                .containsPattern("(?m)^Uid:\\s+" + SERVICE_USER + "\\s")
                .containsPattern("(?m)^Gid:\\s+" + SERVICE_USER + "\\s");
        assertThat(imageConfig().getEntrypoint()).containsExactly("java", "-jar", "/app/portbank.jar");
    }

    @Test
    void servesWithAReadOnlyRootFilesystem() throws Exception {
        InspectContainerResponse container = serving.getCurrentContainerInfo();
        assertThat(container.getHostConfig().getReadonlyRootfs()).as("the test runs it read-only").isTrue();

        // Writes to the database work; only the container's own files are read-only.
        Api api = api(serving, API_PORT);
        String account = api.openAccount(api.customer("read-only"), "EUR");
        api.deposit(api.teller("read-only-teller"), account, 1_00, "EUR");
        assertThat(api.balance(api.customer("read-only"), account)).isEqualTo(1_00);

        assertThat(exec(serving, "sh", "-c", "echo > /app/probe").getStderr()).contains("Read-only file system");
        assertThat(exec(serving, "sh", "-c", "echo > /tmp/probe && rm /tmp/probe").getExitCode()).isZero();
    }

    @Test
    void migrateAppliesTheMigrationsAndExitsZero() throws Exception {
        try (TestDatabase fresh = TestDatabase.create();
             GenericContainer<?> migrate = portBank(Map.of("DATABASE_URL", services.databaseUrl(fresh)), API_PORT)
                     .withCommand("migrate")
                     .withExposedPorts()
                     .waitingFor(Wait.forListeningPort()) // none exposed: nothing to wait for but the exit
                     // Start succeeds only when the process exits 0 in time; its output is logged otherwise.
                     .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(MIGRATE_TIMEOUT))) {
            migrate.start();

            assertThat(migrate.getCurrentContainerInfo().getState().getExitCodeLong()).isZero();
            try (Connection connection = fresh.connect(); Statement statement = connection.createStatement();
                 ResultSet applied = statement.executeQuery(
                         "SELECT count(*) FROM flyway_schema_history WHERE success")) {
                applied.next();
                assertThat(applied.getInt(1)).as("migrations applied").isPositive();
            }
        }
    }

    @Test
    void dockerStopEndsTheProcessWithExitZeroWithinTheGracePeriod() {
        try (GenericContainer<?> stopped = portBank(Map.of(), API_PORT)) {
            stopped.start();

            long started = System.nanoTime();
            PortBankImage.docker().stopContainerCmd(stopped.getContainerId()).withTimeout(STOP_TIMEOUT_SECONDS).exec();
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            var state = PortBankImage.docker().inspectContainerCmd(stopped.getContainerId()).exec().getState();
            assertThat(state.getExitCodeLong()).as("exit status after docker stop").isZero();
            assertThat(took).as("docker stop, killed after %s s", STOP_TIMEOUT_SECONDS)
                    .isLessThan(Duration.ofSeconds(STOP_TIMEOUT_SECONDS));
        }
    }

    @Test
    void logsGoToStdout() {
        assertThat(serving.getLogs(OutputType.STDOUT))
                .contains("PortBank listening on http://0.0.0.0:" + API_PORT);
        assertThat(serving.getLogs(OutputType.STDERR)).doesNotContain("PortBank listening on");
    }

    @Test
    void imageCarriesItsVersionAndAnAotCacheTheJvmUses() throws Exception {
        assertThat(imageConfig().getLabels()).containsEntry("org.opencontainers.image.version", PortBankImage.VERSION);

        // A JVM that rejects the cache (another JVM build, changed jars, incompatible options) would start without it
        // and say nothing; -XX:AOTMode=on makes that an error. The server's class path: the jar, and libs/ from its
        // manifest.
        ExecResult cache = exec(serving, "sh", "-c", "grep -q -- '-XX:AOTCache=' /app/cds/serve.args"
                + " && java @/app/cds/serve.args -XX:AOTMode=on -cp /app/portbank.jar -version");
        assertThat(cache.getExitCode()).as("serve.args names an AOT cache that the JVM uses with -XX:AOTMode=on: %s",
                cache.getStderr()).isZero();

        // The `cds` stage trains with the JVM options that the image ships (the Dockerfile states them twice).
        List<String> shipped = Stream.of(imageConfig().getEnv())
                .filter(variable -> variable.startsWith("JAVA_TOOL_OPTIONS=") || variable.startsWith("MALLOC_ARENA_MAX="))
                .toList();
        assertThat(shipped).as("the image's environment").anyMatch(option -> option.startsWith("JAVA_TOOL_OPTIONS="));
        String[] trainedWith = PortBankImage.docker().inspectImageCmd(PortBankImage.stageTag("cds")).exec()
                .getConfig().getEnv();
        assertThat(trainedWith).as("the environment of the cds stage, which trains the cache")
                .contains(shipped.toArray(String[]::new));

        // The HEALTHCHECK probe runs with other JVM options (C1 only, a small heap): the cache must not warn there.
        List<String> probe = imageConfig().getHealthcheck().getTest();
        ExecResult healthcheck = exec(serving, probe.subList(1, probe.size()).toArray(String[]::new));
        assertThat(healthcheck.getExitCode()).as("the HEALTHCHECK command: %s", healthcheck.getStderr()).isZero();
        assertThat(healthcheck.getStdout() + healthcheck.getStderr()).as("the HEALTHCHECK command's output")
                .doesNotContainIgnoringCase("warning").doesNotContainIgnoringCase("AOT").doesNotContain("CDS");
    }

    /** A PortBank container as the chart runs it, reaching the host's services, ready when the admin port says so. */
    private static GenericContainer<?> portBank(Map<String, String> environment, int apiPort) {
        Map<String, String> merged = new HashMap<>(services.environment());
        merged.putAll(environment);
        return new GenericContainer<>(image)
                .withEnv(merged)
                .withExposedPorts(apiPort, ADMIN_PORT)
                .withExtraHost(HostServices.HOST_NAME, services.gatewayAddress())
                .withTmpFs(Map.of("/tmp", "rw,size=64m"))
                .withCreateContainerCmdModifier(create -> create.getHostConfig()
                        // Published on loopback only (`-p 127.0.0.1::8080`): dev-mode tokens must not reach beyond.
                        .withPublishAllPorts(false)
                        .withPortBindings(new Ports(Stream.of(apiPort, ADMIN_PORT)
                                .map(port -> new PortBinding(Ports.Binding.bindIp("127.0.0.1"), ExposedPort.tcp(port)))
                                .toArray(PortBinding[]::new)))
                        .withReadonlyRootfs(true)
                        .withCapDrop(Capability.ALL)
                        .withSecurityOpts(List.of("no-new-privileges")))
                .waitingFor(Wait.forHttp("/observe/health/ready").forPort(ADMIN_PORT).forStatusCode(200)
                        .withStartupTimeout(READY_TIMEOUT));
    }

    private static Api api(GenericContainer<?> container, int containerPort) {
        return new Api("http://" + container.getHost() + ":" + container.getMappedPort(containerPort));
    }

    private static ContainerConfig imageConfig() {
        return PortBankImage.docker().inspectImageCmd(image).exec().getConfig();
    }

    private static HealthState health(GenericContainer<?> container) {
        return PortBankImage.docker().inspectContainerCmd(container.getContainerId()).exec().getState().getHealth();
    }

    private static ExecResult exec(GenericContainer<?> container, String... command) throws Exception {
        return container.execInContainer(command);
    }
}
