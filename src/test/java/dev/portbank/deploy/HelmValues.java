package dev.portbank.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/** Values as Helm layers them: a value set over the chart's values.yaml. */
record HelmValues(Map<String, Object> tree) {

    /** The values a release with this value set gets. */
    static HelmValues of(ValueSet values) {
        return new HelmValues(merge(read(Project.CHART.resolve("values.yaml")), read(values.file())));
    }

    int integer(String path) {
        return ((Number) at(path)).intValue();
    }

    String string(String path) {
        return (String) at(path);
    }

    /** The value at a dotted path such as {@code containerPorts.http}. */
    Object at(String path) {
        Object node = tree;
        for (String key : path.split("\\.")) {
            if (!(node instanceof Map<?, ?> map) || !map.containsKey(key)) {
                throw new IllegalArgumentException("no value " + path);
            }
            node = map.get(key);
        }
        return node;
    }

    static Map<String, Object> read(Path file) {
        try {
            Map<String, Object> values = new Yaml().load(Files.readString(file));
            return values == null ? Map.of() : values;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Layers {@code overlay} on {@code base} like Helm: maps merge, a null removes the key, anything else replaces. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> overlay) {
        Map<String, Object> merged = new LinkedHashMap<>(base);
        overlay.forEach((key, value) -> {
            if (value == null) {
                merged.remove(key);
            } else if (value instanceof Map<?, ?> map && merged.get(key) instanceof Map<?, ?> baseMap) {
                merged.put(key, merge((Map<String, Object>) baseMap, (Map<String, Object>) map));
            } else {
                merged.put(key, value);
            }
        });
        return merged;
    }
}
