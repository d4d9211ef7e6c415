package dev.portbank.image;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The image under test: the repository's Dockerfile, built once per test run against the local stand-ins for its
 * base images that scripts/container-setup.sh builds, so that nothing is pulled from an image registry.
 */
final class PortBankImage {
    static final String TAG = "portbank-ci/portbank:test";
    static final String SUITE = System.getenv().getOrDefault("CONTAINER_TEST_SUITE", "trixie");
    static final String BUILD_BASE_IMAGE = "portbank-ci/build-base:" + SUITE;
    static final String RUNTIME_BASE_IMAGE = "portbank-ci/runtime-base:" + SUITE;
    static final String VERSION = System.getProperty("portbank.version", "0.1.0-SNAPSHOT");

    private static final Path DOCKERFILE = Path.of("Dockerfile").toAbsolutePath();
    private static final String SETUP_HINT = "run scripts/container-setup.sh first";
    private static String built;

    private PortBankImage() {
    }

    /** The image's tag, after building it if this run has not yet; fails loudly without an engine or base images. */
    static synchronized String get() {
        if (built == null) {
            requireEngineAndBaseImages();
            // The intermediate stages are tagged too (from the layer cache, in seconds): the setup script prunes
            // untagged images of earlier builds, and must leave this build's cache, such as the Maven layer, alone.
            for (String stage : List.of("build", "cds")) {
                build(stageTag(stage), stage);
            }
            built = build(TAG, null);
        }
        return built;
    }

    /** The tag of one of the Dockerfile's intermediate stages, such as {@code cds}, once {@link #get()} built it. */
    static String stageTag(String stage) {
        return "portbank-ci/portbank-" + stage + "-stage:latest";
    }

    static DockerClient docker() {
        return DockerClientFactory.instance().client();
    }

    private static String build(String tag, String target) {
        ImageFromDockerfile image = new ImageFromDockerfile(tag, false)
                .withDockerfile(DOCKERFILE)
                .withBuildArgs(Map.of(
                        "BUILD_IMAGE", BUILD_BASE_IMAGE,
                        "RUNTIME_IMAGE", RUNTIME_BASE_IMAGE,
                        "VERSION", VERSION))
                // The build stage fetches the Maven dependencies: the host's network, not the bridge, so that
                // it needs no forwarding rules on this machine.
                .withBuildImageCmdModifier(command -> command.withNetworkMode("host").withForcerm(true));
        if (target != null) {
            image.withTarget(target);
        }
        try {
            return image.get();
        } catch (Exception e) {
            throw new AssertionError("docker build of the repository's Dockerfile" + (target == null ? "" : " (stage "
                    + target + ")") + " failed; the build output is in the log above: " + e.getMessage(), e);
        }
    }

    private static void requireEngineAndBaseImages() {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            fail("no Docker engine answers: " + SETUP_HINT + " (as root: it starts one, and builds the base images)");
        }
        assertThat(DOCKERFILE).as("the repository's Dockerfile").exists();
        for (String base : List.of(BUILD_BASE_IMAGE, RUNTIME_BASE_IMAGE)) {
            try {
                docker().inspectImageCmd(base).exec();
            } catch (NotFoundException e) {
                fail("the stand-in base image " + base + " is missing: " + SETUP_HINT);
            }
        }
        assertThat(Files.isRegularFile(Path.of(".dockerignore"))).as(".dockerignore keeps the build context small")
                .isTrue();
    }
}
