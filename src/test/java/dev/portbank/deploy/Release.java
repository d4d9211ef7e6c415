package dev.portbank.deploy;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/** The objects of one rendering of the chart, with the lookups the tests share. */
record Release(List<Manifest> manifests) {

    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");
    private static final Pattern SOURCE = Pattern.compile("(?m)^# Source: (.+)$");

    /** Parses the output of {@code helm template}. */
    static Release parse(String rendered) {
        List<Manifest> manifests = new ArrayList<>();
        for (String document : DOCUMENT_SEPARATOR.split(rendered)) {
            Object content = new Yaml().load(document);
            if (content != null) {
                Matcher source = SOURCE.matcher(document);
                JsonObject json = new Gson().toJsonTree(content).getAsJsonObject();
                manifests.add(new Manifest(source.find() ? source.group(1) : "<unknown>", json));
            }
        }
        return new Release(List.copyOf(manifests));
    }

    List<Manifest> ofKind(String kind) {
        return manifests.stream().filter(manifest -> manifest.kind().equals(kind)).toList();
    }

    Optional<Manifest> find(String kind, String name) {
        return ofKind(kind).stream().filter(manifest -> manifest.name().equals(name)).findFirst();
    }

    Manifest get(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new NoSuchElementException("no " + kind + " " + name + " in " + manifests));
    }

    /** The Deployment of the PortBank API. */
    V1Deployment api() {
        return get("Deployment", Chart.FULLNAME).as(V1Deployment.class);
    }

    V1Container apiContainer() {
        return api().getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(container -> container.getName().equals(Chart.NAME))
                .findFirst().orElseThrow();
    }

    /** The data of the ConfigMap that the API pods take their environment from. */
    Map<String, String> config() {
        return get("ConfigMap", Chart.FULLNAME).as(V1ConfigMap.class).getData();
    }

    V1Job migrationJob() {
        return get("Job", Chart.FULLNAME + "-migrate").as(V1Job.class);
    }

    /** Every pod the release can start, by the object that starts it. */
    Map<Manifest, V1PodSpec> podSpecs() {
        Map<Manifest, V1PodSpec> specs = new LinkedHashMap<>();
        for (Manifest manifest : manifests) {
            podSpecOf(manifest).ifPresent(spec -> specs.put(manifest, spec));
        }
        return specs;
    }

    /** Every container of every pod, named by its owner. */
    Map<String, V1Container> containers() {
        Map<String, V1Container> containers = new LinkedHashMap<>();
        podSpecs().forEach((owner, spec) -> {
            List<V1Container> all = new ArrayList<>(spec.getContainers());
            all.addAll(Optional.ofNullable(spec.getInitContainers()).orElse(List.of()));
            all.forEach(container -> containers.put(owner.kind() + " " + owner.name() + "/" + container.getName(), container));
        });
        return containers;
    }

    private static Optional<V1PodSpec> podSpecOf(Manifest manifest) {
        return switch (manifest.kind()) {
            case "Deployment" -> Optional.of(manifest.as(V1Deployment.class).getSpec().getTemplate().getSpec());
            case "StatefulSet" -> Optional.of(manifest.as(V1StatefulSet.class).getSpec().getTemplate().getSpec());
            case "Job" -> Optional.of(manifest.as(V1Job.class).getSpec().getTemplate().getSpec());
            case "Pod" -> Optional.of(manifest.as(V1Pod.class).getSpec());
            default -> Optional.empty();
        };
    }
}
