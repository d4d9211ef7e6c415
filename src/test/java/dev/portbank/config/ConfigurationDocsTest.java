package dev.portbank.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Setting} is the one source of every setting's key, variables and default; {@code application.yaml} and the
 * README's configuration table are checked against it, so that the three cannot disagree.
 */
class ConfigurationDocsTest {
    private static final Path ROOT = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    private static final Map<String, Setting> BY_KEY = Arrays.stream(Setting.values())
            .collect(Collectors.toMap(Setting::key, Function.identity()));
    private static final Pattern YAML_LINE = Pattern.compile("^( *)([a-z-]+):\\s*(.*)$");
    private static final Pattern BACKTICKED = Pattern.compile("`([^`]*)`");

    @Test
    void applicationYamlNeverChangesADefault() {
        SettingSource yamlOnly = SettingSource.of(Map.of());

        assertThat(Setting.values()).allSatisfy(setting -> assertThat(yamlOnly.get(setting))
                .as("%s in application.yaml", setting.key()).isEqualTo(setting.defaultValue()));
    }

    @Test
    void everyApplicationYamlKeyIsASettingAndItsCommentNamesItsVariable() throws IOException {
        List<YamlKey> keys = yamlKeys(Files.readAllLines(ROOT.resolve("src/main/resources/application.yaml")));

        assertThat(keys).isNotEmpty().allSatisfy(key -> {
            assertThat(BY_KEY).as("application.yaml key %s", key.path()).containsKey(key.path());
            assertThat(key.comment()).as("comment above %s", key.path())
                    .startsWith("# " + key.name() + ":").contains("env " + BY_KEY.get(key.path()).envName());
        });
    }

    @Test
    void theReadmeTableHasOneRowPerSettingWithItsVariablesAndDefault() throws IOException {
        List<List<String>> rows = readmeConfigurationRows();

        assertThat(rows).extracting(row -> unquote(row.get(1)))
                .containsExactlyInAnyOrderElementsOf(BY_KEY.keySet());
        assertThat(rows).allSatisfy(row -> {
            Setting setting = BY_KEY.get(unquote(row.get(1)));
            List<String> variables = backticked(row.get(0));
            assertThat(variables).as("variables of %s", setting.key())
                    .startsWith(setting.envName()).isSubsetOf(setting.envNames());
            Optional<String> documentedDefault = backticked(row.get(2)).stream().findFirst();
            assertThat(documentedDefault).as("default of %s", setting.key())
                    .isEqualTo(setting.defaultValue().isEmpty() ? Optional.empty()
                            : Optional.of(setting.defaultValue()));
        });
    }

    private record YamlKey(String path, String name, String comment) {
    }

    /** The leaf keys of a simple two-level YAML file, each with the comment line right above it. */
    private static List<YamlKey> yamlKeys(List<String> lines) {
        List<YamlKey> keys = new ArrayList<>();
        String section = "";
        for (int i = 0; i < lines.size(); i++) {
            Matcher line = YAML_LINE.matcher(lines.get(i));
            if (!line.matches()) {
                continue;
            }
            if (line.group(1).isEmpty()) {
                section = line.group(2);
            } else {
                String comment = i > 0 ? lines.get(i - 1).trim() : "";
                keys.add(new YamlKey(section + "." + line.group(2), line.group(2), comment));
            }
        }
        return keys;
    }

    /** The cells of each row of the README's table under "## Configuration". */
    private static List<List<String>> readmeConfigurationRows() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        String section = readme.substring(readme.indexOf("\n## Configuration"));
        section = section.substring(0, section.indexOf("\n## ", 1));
        return section.lines().filter(line -> line.startsWith("| `"))
                .map(line -> Arrays.stream(line.substring(1, line.length() - 1).split("\\|")).map(String::trim)
                        .toList())
                .toList();
    }

    private static List<String> backticked(String cell) {
        return BACKTICKED.matcher(cell).results().map(match -> match.group(1)).toList();
    }

    private static String unquote(String cell) {
        return cell.replace("`", "");
    }
}
