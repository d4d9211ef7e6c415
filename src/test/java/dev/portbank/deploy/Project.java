package dev.portbank.deploy;

import java.nio.file.Path;

/** Paths inside the repository, whatever directory the tests run from. */
final class Project {
    static final Path ROOT = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    static final Path CHART = ROOT.resolve("charts/portbank");

    private Project() {
    }

    static Path path(String relative) {
        return ROOT.resolve(relative);
    }
}
