package dev.portbank.config;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves each {@link Setting} from the environment (including {@code _FILE} secrets) over {@code application.yaml}.
 * The environment is passed in, so tests never have to touch the real one.
 */
public final class SettingSource {
    private final Map<String, String> env;
    private final Config yaml;

    private SettingSource(Map<String, String> env, Config yaml) {
        this.env = Map.copyOf(env);
        this.yaml = yaml;
    }

    /** Settings from the given environment over the {@code application.yaml} on the classpath. */
    public static SettingSource of(Map<String, String> env) {
        return new SettingSource(env, Config.just(ConfigSources.classpath("application.yaml").optional()));
    }

    /** Settings from the given environment over the given yaml values (for tests). */
    public static SettingSource of(Map<String, String> env, Map<String, String> yaml) {
        return new SettingSource(env, Config.just(ConfigSources.create(yaml)));
    }

    /** The configured value, or the default; blank counts as unset. */
    public String get(Setting setting) {
        return find(setting).orElse(setting.defaultValue());
    }

    /** The configured value, if any source sets a non-blank one. */
    public Optional<String> find(Setting setting) {
        for (String name : setting.envNames()) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                return Optional.of(value.trim());
            }
            String file = env.get(name + "_FILE");
            if (file != null && !file.isBlank()) {
                return Optional.of(readSecretFile(name, file.trim()));
            }
        }
        return yaml.get(setting.key()).asString().asOptional().filter(value -> !value.isBlank());
    }

    public int getInt(Setting setting, int min, int max) {
        String raw = get(setting);
        try {
            int value = Integer.parseInt(raw);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the allowed range
        }
        throw new InvalidSettingException("%s must be a number in %d..%d, got '%s'"
                .formatted(setting.envName(), min, max, raw));
    }

    public boolean getBoolean(Setting setting) {
        String raw = get(setting).toLowerCase();
        return switch (raw) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new InvalidSettingException(
                    "%s must be true or false, got '%s'".formatted(setting.envName(), raw));
        };
    }

    private static String readSecretFile(String name, String file) {
        try {
            return Files.readString(Path.of(file)).strip();
        } catch (IOException e) {
            throw new InvalidSettingException("%s_FILE points at '%s', which cannot be read".formatted(name, file));
        }
    }
}
