package dev.portbank.deploy;

import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Runs Helm (in process, through helm-java) on charts/portbank, offline: no cluster is needed.
 */
final class Chart {
    static final String NAME = "portbank";
    static final String RELEASE = "portbank";
    /** The release name contains the chart name, so objects are named after the release alone. */
    static final String FULLNAME = RELEASE;
    static final String NAMESPACE = "banking";
    /**
     * The Kubernetes version to render for: that of the client-java models that validate the output
     * (client-java 24). Without it helm-java assumes v1.20, below the chart's kubeVersion.
     */
    static final String KUBE_VERSION = "v1.32.0";

    /*
     * helm-java's template, unlike `helm template`, leaves hooks out of its output. A copy of the chart
     * whose hook annotation is renamed gets them rendered as plain objects; the annotation is renamed
     * back in the output, so the tests see what `helm template` prints.
     */
    private static final String HOOK = "helm.sh/hook:";
    private static final String HOOK_ALIAS = "ci.portbank.dev/hook:";
    private static final Path WORK = Project.path("target/deploy-checks");

    private static final Map<ValueSet, Release> RENDERED = new ConcurrentHashMap<>();

    private Chart() {
    }

    static Release render(ValueSet values) {
        return RENDERED.computeIfAbsent(values, set -> render(set, Map.of()));
    }

    /** Renders with {@code --set} overrides on top of the value set; fails if Helm does. */
    static Release render(ValueSet values, Map<String, Object> overrides) {
        return Release.parse(template(values, overrides).call().replace(HOOK_ALIAS, HOOK));
    }

    /** The error Helm stops with, or an AssertionError if it renders. */
    static String renderError(ValueSet values, Map<String, Object> overrides) {
        try {
            template(values, overrides).call();
        } catch (RuntimeException expected) {
            return expected.getMessage();
        }
        throw new AssertionError("the chart rendered with " + overrides + " on " + values);
    }

    /**
     * {@code helm lint --strict} with the value set. helm-java lints a chart with its own values.yaml
     * only, so this lints a copy whose values.yaml is the value set merged over the chart's defaults.
     */
    static LintResult lint(ValueSet values) {
        Path chart = copyChart("lint-" + values.name().toLowerCase());
        writeYaml(chart.resolve("values.yaml"), HelmValues.of(values).tree());
        return new Helm(chart).lint().strict().call();
    }

    /** What `helm install` prints after installing with the value set (a client-only dry run). */
    static String notes(ValueSet values) {
        String output = new Helm(Project.CHART).install()
                .withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION)
                .withValuesFile(values.file())
                .clientOnly().withDryRunOption(DryRun.CLIENT).debug()
                .call().getOutput();
        return output.substring(output.indexOf("NOTES:"));
    }

    private static TemplateCommand template(ValueSet values, Map<String, Object> overrides) {
        TemplateCommand template = new Helm(chartWithVisibleHooks()).template()
                .withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION)
                .withValuesFile(values.file());
        overrides.forEach(template::set);
        return template;
    }

    private static Path chartWithVisibleHooks() {
        return HooksVisible.CHART;
    }

    private static final class HooksVisible {
        static final Path CHART = copyWithHooksVisible();
    }

    private static Path copyWithHooksVisible() {
        Path chart = copyChart("hooks-visible");
        try (Stream<Path> files = Files.walk(chart.resolve("templates"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.writeString(file, Files.readString(file).replace(HOOK, HOOK_ALIAS));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return chart;
    }

    /** A fresh copy of the chart in the build directory, in a folder named like the chart. */
    private static Path copyChart(String purpose) {
        Path target = WORK.resolve(purpose).resolve(NAME);
        try {
            deleteRecursively(target);
            try (Stream<Path> files = Files.walk(Project.CHART)) {
                for (Path source : files.toList()) {
                    Files.copy(source, target.resolve(Project.CHART.relativize(source).toString()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (Files.exists(directory)) {
            try (Stream<Path> files = Files.walk(directory)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
        Files.createDirectories(directory.getParent());
    }

    private static void writeYaml(Path file, Map<String, Object> content) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        try {
            Files.writeString(file, new Yaml(options).dump(new LinkedHashMap<>(content)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
