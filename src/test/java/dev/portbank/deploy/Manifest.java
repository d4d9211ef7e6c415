package dev.portbank.deploy;

import com.google.gson.JsonObject;
import java.util.Optional;

/**
 * One object rendered by the chart.
 *
 * @param source the template it came from, as Helm names it
 * @param json   the object as the API server would receive it
 */
record Manifest(String source, JsonObject json) {

    String kind() {
        return json.get("kind").getAsString();
    }

    String name() {
        return json.getAsJsonObject("metadata").get("name").getAsString();
    }

    /** The object as its strictly validated API model. */
    <T> T as(Class<T> type) {
        return type.cast(KubernetesModels.parse(json));
    }

    Optional<String> annotation(String key) {
        JsonObject metadata = json.getAsJsonObject("metadata");
        if (!metadata.has("annotations")) {
            return Optional.empty();
        }
        return Optional.ofNullable(metadata.getAsJsonObject("annotations").get(key)).map(value -> value.getAsString());
    }

    Optional<String> hook() {
        return annotation("helm.sh/hook");
    }

    @Override
    public String toString() {
        return kind() + " " + name() + " (" + source + ")";
    }
}
