package dev.portbank.testing;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The PostgreSQL server and the Redis that the tests share: the local ones (the default), or, with
 * {@code -Dportbank.backing=containers}, containers started once per test JVM from images built on the stand-in
 * runtime base image of scripts/container-setup.sh, and removed when the JVM exits. Servers that a test stops and
 * restarts ({@link ScratchPostgres}, {@link TestRedis}) are local processes either way.
 */
public final class BackingServices {
    public static final String PROPERTY = "portbank.backing";

    private static final String BASE_IMAGE = "portbank-ci/runtime-base:"
            + System.getenv().getOrDefault("CONTAINER_TEST_SUITE", "trixie");
    private static final Path DOCKERFILES = Path.of("scripts", "container");
    private static final String SETUP_HINT = "run scripts/container-setup.sh first (as root: it starts an engine "
            + "and builds the base image), or leave out -D" + PROPERTY + "=containers to use the local services";

    private static GenericContainer<?> postgres;
    private static GenericContainer<?> redis;

    private BackingServices() {
    }

    /** The shared PostgreSQL server, as a {@code postgres://} URL of its {@code postgres} database. */
    public static String postgresServerUrl() {
        if (!containers()) {
            return System.getenv().getOrDefault("PORTBANK_TEST_DATABASE_URL",
                    "postgres://postgres@127.0.0.1:5432/postgres");
        }
        GenericContainer<?> container = postgres();
        return "postgres://postgres@" + container.getHost() + ":" + container.getMappedPort(5432) + "/postgres";
    }

    /** The shared Redis, as a {@code redis://} URL. */
    public static String redisUrl() {
        if (!containers()) {
            return "redis://127.0.0.1:" + System.getenv().getOrDefault("REDIS_HOST_PORT", "6379");
        }
        GenericContainer<?> container = redis();
        return "redis://" + container.getHost() + ":" + container.getMappedPort(6379);
    }

    private static boolean containers() {
        String backing = System.getProperty(PROPERTY, "local");
        return switch (backing) {
            case "local" -> false;
            case "containers" -> true;
            default -> throw new IllegalStateException(
                    "-D" + PROPERTY + " must be local or containers, not '" + backing + "'");
        };
    }

    private static synchronized GenericContainer<?> postgres() {
        if (postgres == null) {
            postgres = start("postgres", 5432, ".*database system is ready to accept connections.*\\s");
        }
        return postgres;
    }

    private static synchronized GenericContainer<?> redis() {
        if (redis == null) {
            redis = start("redis", 6379, ".*Ready to accept connections.*\\s");
        }
        return redis;
    }

    private static GenericContainer<?> start(String service, int port, String readyLine) {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw new IllegalStateException("-D" + PROPERTY + "=containers, but no Docker engine answers: "
                    + SETUP_HINT);
        }
        String tag = "portbank-ci/" + service + ":test";
        ImageFromDockerfile image = new ImageFromDockerfile(tag, false)
                .withFileFromPath("Dockerfile", DOCKERFILES.resolve(service + ".Dockerfile"))
                .withBuildArg("BASE_IMAGE", BASE_IMAGE)
                // apt-get reaches the host's Debian mirror over the host's network, as in the base images' builds.
                .withBuildImageCmdModifier(command -> command.withNetworkMode("host").withForcerm(true));
        GenericContainer<?> container = new GenericContainer<>(image)
                .withExposedPorts(port)
                .waitingFor(Wait.forLogMessage(readyLine, 1).withStartupTimeout(Duration.ofSeconds(60)));
        try {
            container.start();
        } catch (RuntimeException e) {
            throw new IllegalStateException("the " + service + " container for -D" + PROPERTY + "=containers did "
                    + "not start (is " + BASE_IMAGE + " there? " + SETUP_HINT + "): " + e.getMessage(), e);
        }
        // No Ryuk reaper here (no image registry to pull it from): the JVM removes its containers itself.
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop, service + "-container-stop"));
        System.out.printf("backing services: %s in container %.12s (%s), mapped to %s:%d%n", service,
                container.getContainerId(), tag, container.getHost(), container.getMappedPort(port));
        return container;
    }
}
