package dev.portbank.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** values.yaml documents every value with a comment that starts with the value's name: "# image.tag -- ...". */
class ValuesDocumentationTest {

    private static final Pattern KEY = Pattern.compile("^( *)([A-Za-z][A-Za-z0-9]*):.*$");

    private record Key(String path, int indent, boolean documented) {
    }

    @Test
    void everyValueIsDocumentedByACommentStartingWithItsName() throws IOException {
        List<Key> keys = keysOf(Files.readAllLines(Project.CHART.resolve("values.yaml")));

        assertThat(keys).hasSizeGreaterThan(50);
        assertThat(keys).filteredOn(key -> !key.documented())
                .as("values without a '# <name> -- <description>' comment that are not maps of documented values")
                .allSatisfy(key -> assertThat(keys).anyMatch(child -> child.path().startsWith(key.path() + ".")));
    }

    /**
     * The keys of a values file by dotted path. Keys inside a documented value (the fields of a
     * securityContext, the hosts of an Ingress) are part of its example and need no comment.
     */
    private static List<Key> keysOf(List<String> lines) {
        List<Key> keys = new ArrayList<>();
        Deque<Key> parents = new ArrayDeque<>();
        String comment = null;
        for (String line : lines) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#")) {
                comment = trimmed;
                continue;
            }
            Matcher key = KEY.matcher(line);
            if (key.matches()) {
                int indent = key.group(1).length();
                while (!parents.isEmpty() && parents.peek().indent() >= indent) {
                    parents.pop();
                }
                if (parents.stream().noneMatch(Key::documented)) {
                    String path = parents.isEmpty() ? key.group(2) : parents.peek().path() + "." + key.group(2);
                    Key entry = new Key(path, indent, comment != null && comment.startsWith("# " + path + " -- "));
                    keys.add(entry);
                    parents.push(entry);
                }
            }
            comment = null;
        }
        return keys;
    }
}
