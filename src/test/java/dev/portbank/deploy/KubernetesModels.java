package dev.portbank.deploy;

import static java.util.Map.entry;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Strict validation of manifests against the typed models of the Kubernetes API (client-java).
 *
 * <p>The models' own checks, which run while Gson reads a manifest, reject unknown fields (at any
 * depth) and missing required fields, but they coerce primitives: {@code containerPort: "8080"}
 * reads as a number and {@code value: true} as a string, both of which the API server refuses.
 * So the typed object is written back to JSON and every value of the manifest must come back with
 * the same JSON type and value.
 */
final class KubernetesModels {

    /** The kinds the chart may render, by apiVersion and kind. */
    private static final Map<String, Class<?>> MODELS = Map.ofEntries(
            entry("v1/ConfigMap", V1ConfigMap.class),
            entry("v1/Pod", V1Pod.class),
            entry("v1/Secret", V1Secret.class),
            entry("v1/Service", V1Service.class),
            entry("v1/ServiceAccount", V1ServiceAccount.class),
            entry("apps/v1/Deployment", V1Deployment.class),
            entry("apps/v1/StatefulSet", V1StatefulSet.class),
            entry("autoscaling/v2/HorizontalPodAutoscaler", V2HorizontalPodAutoscaler.class),
            entry("batch/v1/Job", V1Job.class),
            entry("networking.k8s.io/v1/Ingress", V1Ingress.class),
            entry("networking.k8s.io/v1/NetworkPolicy", V1NetworkPolicy.class),
            entry("policy/v1/PodDisruptionBudget", V1PodDisruptionBudget.class));

    private KubernetesModels() {
    }

    /** Reads a manifest into its API model, or fails with every problem found. */
    static Object parse(JsonObject manifest) {
        Class<?> type = modelOf(manifest);
        Object model;
        try {
            model = JSON.getGson().fromJson(manifest, type);
        } catch (RuntimeException e) {
            throw new InvalidManifestException(describe(manifest) + ": " + e.getMessage());
        }
        List<String> problems = new ArrayList<>();
        compare("$", manifest, JSON.getGson().toJsonTree(model), problems);
        if (!problems.isEmpty()) {
            throw new InvalidManifestException(describe(manifest) + ": " + String.join("; ", problems));
        }
        return model;
    }

    private static Class<?> modelOf(JsonObject manifest) {
        String key = text(manifest, "apiVersion") + "/" + text(manifest, "kind");
        Class<?> type = MODELS.get(key);
        if (type == null) {
            throw new InvalidManifestException("no API model for " + key + "; add it to KubernetesModels");
        }
        return type;
    }

    private static void compare(String path, JsonElement given, JsonElement kept, List<String> problems) {
        if (given == null || given.isJsonNull()) {
            return;
        }
        if (kept == null || kept.isJsonNull()) {
            problems.add(path + " is not part of the API type");
        } else if (given.isJsonObject()) {
            if (!kept.isJsonObject()) {
                problems.add(path + " must be " + typeOf(kept) + ", not an object");
                return;
            }
            for (Map.Entry<String, JsonElement> field : given.getAsJsonObject().entrySet()) {
                compare(path + "." + field.getKey(), field.getValue(), kept.getAsJsonObject().get(field.getKey()), problems);
            }
        } else if (given.isJsonArray()) {
            compareArrays(path, given.getAsJsonArray(), kept, problems);
        } else {
            comparePrimitives(path, given.getAsJsonPrimitive(), kept, problems);
        }
    }

    private static void compareArrays(String path, JsonArray given, JsonElement kept, List<String> problems) {
        if (!kept.isJsonArray() || kept.getAsJsonArray().size() != given.size()) {
            problems.add(path + " must be " + typeOf(kept) + ", not " + given);
            return;
        }
        for (int i = 0; i < given.size(); i++) {
            compare(path + "[" + i + "]", given.get(i), kept.getAsJsonArray().get(i), problems);
        }
    }

    private static void comparePrimitives(String path, JsonPrimitive given, JsonElement kept, List<String> problems) {
        if (!kept.isJsonPrimitive() || !typeOf(kept).equals(typeOf(given))) {
            problems.add(path + " must be " + typeOf(kept) + ", not " + typeOf(given) + " " + given);
        } else if (!sameValue(given, kept.getAsJsonPrimitive())) {
            problems.add(path + " reads as " + kept + ", not " + given);
        }
    }

    private static boolean sameValue(JsonPrimitive given, JsonPrimitive kept) {
        if (given.isNumber()) {
            return given.getAsBigDecimal().compareTo(kept.getAsBigDecimal()) == 0;
        }
        return given.equals(kept) || sameQuantity(given.getAsString(), kept.getAsString());
    }

    /** Quantities are written back in canonical form: "0.5" comes back as "500m". */
    private static boolean sameQuantity(String given, String kept) {
        try {
            return new Quantity(given).getNumber().compareTo(new Quantity(kept).getNumber()) == 0;
        } catch (RuntimeException notQuantities) {
            return false;
        }
    }

    private static String typeOf(JsonElement element) {
        if (element.isJsonObject()) {
            return "an object";
        }
        if (element.isJsonArray()) {
            return "a list";
        }
        JsonPrimitive primitive = element.getAsJsonPrimitive();
        return primitive.isNumber() ? "a number" : primitive.isBoolean() ? "a boolean" : "a string";
    }

    private static String describe(JsonObject manifest) {
        JsonObject metadata = manifest.has("metadata") ? manifest.getAsJsonObject("metadata") : new JsonObject();
        return text(manifest, "kind") + " " + text(metadata, "name");
    }

    private static String text(JsonObject object, String field) {
        JsonElement value = object.get(field);
        return value != null && value.isJsonPrimitive() ? value.getAsString() : "<no " + field + ">";
    }

    /** A manifest that the Kubernetes API would refuse. */
    static final class InvalidManifestException extends RuntimeException {
        InvalidManifestException(String message) {
            super(message);
        }
    }
}
