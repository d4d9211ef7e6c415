package dev.portbank.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portbank.deploy.Tiltfile.Call;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** The Tiltfile at the repository root agrees with the repository, the dev image and the chart it deploys. */
class TiltfileTest {

    private static final Set<String> WORKLOAD_KINDS = Set.of("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod");
    private static final Pattern COPY = Pattern.compile("(?m)^COPY\\s+(?:--\\S+\\s+)*(\\S+)\\s+(\\S+)\\s*$");

    private static List<Call> calls;

    @BeforeAll
    static void runTiltfile() {
        calls = Tiltfile.run(Project.path("Tiltfile")).calls();
    }

    @Test
    void everyPathItNamesExistsOrIsMavenBuildOutput() {
        Set<String> buildOutputs = Set.of("target", "target/libs", "target/" + mavenFinalName() + ".jar");

        assertThat(namedPaths()).isNotEmpty().allSatisfy(path -> {
            if (path.equals("target") || path.startsWith("target/")) {
                assertThat(buildOutputs).as("Maven does not build %s", path).contains(path);
            } else {
                assertThat(Project.path(path)).as("the Tiltfile names %s", path).exists();
            }
        });
    }

    @Test
    void deploysTheChartWithTheDevValuesAsTheReleaseTheTestsRender() {
        Call helm = single("helm");

        assertThat(Project.path(helm.string("pathToChartDir"))).isEqualTo(Project.CHART);
        assertThat(helm.strings("values")).map(Project::path).containsExactly(ValueSet.DEV.file());
        assertThat(helm.string("name")).isEqualTo(Chart.RELEASE);
        assertThat(helm.strings("set")).isEmpty();
    }

    @Test
    void buildsTheImageThatTheDevValuesDeploy() {
        String image = single("docker_build_with_restart").string("ref");

        assertThat(image).isEqualTo(HelmValues.of(ValueSet.DEV).string("image.repository"));
        assertThat(Chart.render(ValueSet.DEV).apiContainer().getImage()).startsWith(image + ":");
        assertThat(Chart.render(ValueSet.DEV).migrationJob().getSpec().getTemplate().getSpec().getContainers().getFirst().getImage())
                .startsWith(image + ":");
    }

    @Test
    void everyResourceIsAWorkloadTheChartRenders() {
        // Tilt leaves out the chart's test hooks, as it deploys with `helm template` rather than install.
        Set<String> workloads = Chart.render(ValueSet.DEV).manifests().stream()
                .filter(manifest -> WORKLOAD_KINDS.contains(manifest.kind()) && !manifest.source().contains("/tests/"))
                .map(Manifest::name)
                .collect(Collectors.toSet());

        assertThat(resources().keySet()).containsExactlyInAnyOrderElementsOf(workloads).contains(Chart.FULLNAME);
    }

    @Test
    void portForwardsReachEveryPortOfTheApiContainer() {
        Set<Integer> forwarded = resources().get(Chart.FULLNAME).objects("port_forwards").stream()
                .map(forward -> forward.get(forward.get("container_port").isJsonNull() ? "local_port" : "container_port").getAsInt())
                .collect(Collectors.toSet());
        Set<Integer> declared = Chart.render(ValueSet.DEV).apiContainer().getPorts().stream()
                .map(V1ContainerPort::getContainerPort)
                .collect(Collectors.toSet());

        assertThat(forwarded).isEqualTo(declared).contains(HelmValues.of(ValueSet.DEV).integer("debug.port"));
        assertThat(resources().get(Chart.FULLNAME).objects("port_forwards"))
                .allSatisfy(forward -> assertThat(forward.get("name").isJsonNull()).as("link name of %s", forward).isFalse());
    }

    @Test
    void apiWaitsForTheCompileStepTheBackingServicesAndTheMigrations() {
        Set<String> known = Stream.concat(calls("local_resource").stream().map(call -> call.string("name")), resources().keySet().stream())
                .collect(Collectors.toSet());

        assertThat(resources().values()).flatMap(resource -> resource.strings("resource_deps")).isSubsetOf(known);
        assertThat(resources().get(Chart.FULLNAME).strings("resource_deps"))
                .containsExactlyInAnyOrder("portbank-compile", "portbank-postgresql", "portbank-redis", "portbank-migrate");
    }

    @Test
    void compileStepPackagesWithMavenWhenSourcesChange() {
        Call compile = single("local_resource");

        assertThat(compile.string("cmd")).startsWith("mvn ").contains(" package").contains("-DskipTests");
        assertThat(compile.strings("deps")).containsExactlyInAnyOrder("src/main", "pom.xml");
    }

    @Test
    void liveUpdateSyncsBuildOutputToWhereTheDevImageCopiesIt() throws IOException {
        Call build = single("docker_build_with_restart");
        Map<String, String> copies = devImageCopies(build);
        String context = build.string("context");

        assertThat(build.objects("live_update")).isNotEmpty().allSatisfy(step -> {
            String source = Path.of(context).relativize(Path.of(step.get("local_path").getAsString())).toString();
            assertThat(copies).containsEntry(source, step.get("remote_path").getAsString());
        });
        assertThat(build.strings("only")).containsExactlyInAnyOrderElementsOf(copies.keySet());
        assertThat(build.strings("entrypoint")).containsExactly("java", "-jar", copies.get(mavenFinalName() + ".jar"));
    }

    @Test
    void devImageLayersDependenciesBeforeTheApplication() throws IOException {
        assertThat(devImageCopies(single("docker_build_with_restart")).keySet()).containsExactly("libs", mavenFinalName() + ".jar");
    }

    /** The files the dev Dockerfile copies from the build context, in order, with their destinations. */
    private static Map<String, String> devImageCopies(Call build) throws IOException {
        Matcher copy = COPY.matcher(Files.readString(Project.path(build.string("dockerfile"))));
        Map<String, String> copies = new LinkedHashMap<>();
        while (copy.find()) {
            copies.put(copy.group(1), copy.group(2));
        }
        return copies;
    }

    private static List<String> namedPaths() {
        List<String> paths = new ArrayList<>();
        calls("local_resource").forEach(call -> paths.addAll(call.strings("deps")));
        calls("docker_build_with_restart").forEach(call -> {
            paths.add(call.string("context"));
            paths.add(call.string("dockerfile"));
            call.strings("only").forEach(only -> paths.add(call.string("context") + "/" + only));
            call.objects("live_update").forEach(step -> paths.add(step.get("local_path").getAsString()));
        });
        calls("helm").forEach(call -> {
            paths.add(call.string("pathToChartDir"));
            paths.addAll(call.strings("values"));
        });
        return paths;
    }

    /** The name of the jar Maven builds: {@code <build><finalName>} of the pom. */
    private static String mavenFinalName() {
        try {
            Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Project.path("pom.xml").toFile());
            return pom.getElementsByTagName("finalName").item(0).getTextContent().trim();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the pom's finalName", e);
        }
    }

    /** The k8s_resource calls, by workload. */
    private static Map<String, Call> resources() {
        return calls("k8s_resource").stream()
                .collect(Collectors.toMap(call -> call.string("workload"), call -> call, (first, second) -> first, LinkedHashMap::new));
    }

    private static List<Call> calls(String function) {
        return calls.stream().filter(call -> call.function().equals(function)).toList();
    }

    private static Call single(String function) {
        assertThat(calls(function)).as("calls of %s", function).hasSize(1);
        return calls(function).getFirst();
    }
}
