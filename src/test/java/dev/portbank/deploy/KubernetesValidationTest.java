package dev.portbank.deploy;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portbank.deploy.KubernetesModels.InvalidManifestException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Every rendered object is valid for the Kubernetes API, checked against its typed model. */
class KubernetesValidationTest {

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void everyRenderedObjectMatchesItsApiType(ValueSet values) {
        for (Manifest manifest : Chart.render(values).manifests()) {
            assertThatCode(() -> KubernetesModels.parse(manifest.json())).as(manifest.toString()).doesNotThrowAnyException();
        }
    }

    @Test
    void acceptsAValidManifest() {
        assertThatCode(() -> KubernetesModels.parse(fixture("valid.yaml").json())).doesNotThrowAnyException();
    }

    /** Each fixture is valid.yaml with one mistake: the validator must catch each kind, or the checks above prove nothing. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            typo-field.yaml             | The field `imagePulPolicy` in the JSON string is not defined in the `V1Container` properties
            typo-nested-field.yaml      | The field `paht` in the JSON string is not defined in the `V1HTTPGetAction` properties
            quoted-number.yaml          | $.spec.template.spec.containers[0].ports[0].containerPort must be a number, not a string "8080"
            unquoted-boolean-env.yaml   | $.spec.template.spec.containers[0].env[0].value must be a string, not a boolean true
            number-annotation.yaml      | $.metadata.annotations.replicas must be a string, not a number 3
            object-for-string.yaml      | Expected the field `image` to be a primitive type
            missing-container-name.yaml | The required field `name` is not found
            missing-selector.yaml       | The required field `selector` is not found
            unknown-kind.yaml           | no API model for apps/v1/DaemonSet
            """)
    void rejectsInvalidManifests(String file, String expectedProblem) {
        Manifest manifest = fixture(file);

        assertThatThrownBy(() -> KubernetesModels.parse(manifest.json()))
                .isInstanceOf(InvalidManifestException.class)
                .hasMessageContaining(expectedProblem);
    }

    private static Manifest fixture(String file) {
        try {
            return Release.parse(Files.readString(Project.path("src/test/resources/deploy/manifests/" + file))).manifests().getFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
