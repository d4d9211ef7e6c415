package dev.portbank.loadgen;

import dev.portbank.testing.TestDatabase;
import dev.portbank.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two jars the build packages: the server's holds no load-generator class (so neither does the image, which
 * copies only it), and the load generator's holds nothing else, names its libraries, and runs on its own.
 */
class LoadgenJarIT {
    private static final Path SERVER_JAR = Path.of("target", "portbank.jar");
    private static final Path LOADGEN_JAR = Path.of("target", "portbank-loadgen.jar");
    private static final String LOADGEN_CLASSES = "dev/portbank/loadgen/";

    @Test
    void theServerJarHoldsNoLoadGeneratorClass() throws IOException {
        List<String> classes = classesIn(SERVER_JAR);

        assertThat(classes).contains("dev/portbank/Main.class");
        assertThat(classes).noneMatch(name -> name.startsWith(LOADGEN_CLASSES));
    }

    @Test
    void theLoadGeneratorJarHoldsOnlyTheLoadGeneratorAndNamesEveryLibraryItNeeds() throws IOException {
        assertThat(classesIn(LOADGEN_JAR)).contains(LOADGEN_CLASSES + "LoadGenerator.class")
                .allMatch(name -> name.startsWith(LOADGEN_CLASSES));
        try (JarFile jar = new JarFile(LOADGEN_JAR.toFile())) {
            Attributes manifest = jar.getManifest().getMainAttributes();
            assertThat(manifest.getValue(Attributes.Name.MAIN_CLASS)).isEqualTo(LoadGenerator.class.getName());
            List<String> classPath = Arrays.asList(manifest.getValue(Attributes.Name.CLASS_PATH).split(" "));
            assertThat(classPath).hasSize(5).allMatch(entry -> entry.startsWith("loadgen-libs/"))
                    .noneMatch(entry -> entry.contains("portbank") || entry.contains("helidon"));
            assertThat(classPath).allSatisfy(entry -> assertThat(Path.of("target").resolve(entry)).isRegularFile());
        }
    }

    @Test
    void theLoadGeneratorJarRunsAgainstAPortBankAndChecksItsInvariants() throws Exception {
        try (TestDatabase database = TestDatabase.create(); TestServer server = TestServer.start(database)) {
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-jar", LOADGEN_JAR.toString()).redirectErrorStream(true);
            builder.environment().clear();
            builder.environment().putAll(Map.of(
                    "BANK_URL", "http://127.0.0.1:" + server.portBank().port(), "BANK_TOKEN_MODE", "dev",
                    "LOADGEN_SCENARIO", "mixed", "LOADGEN_CLIENTS", "2", "LOADGEN_ACCOUNTS", "4",
                    "LOADGEN_WARMUP_SECONDS", "0", "LOADGEN_DURATION_SECONDS", "1", "LOADGEN_FORMAT", "json"));
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(output).isZero();
            assertThat(output).contains("\"passed\" : true");
        }
    }

    private static List<String> classesIn(Path jar) throws IOException {
        assertThat(jar).as("run `mvn package` first").isRegularFile();
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().map(JarEntry::getName).filter(name -> name.endsWith(".class")).toList();
        }
    }
}
