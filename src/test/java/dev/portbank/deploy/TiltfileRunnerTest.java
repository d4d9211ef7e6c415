package dev.portbank.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portbank.deploy.Tiltfile.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The stand-in for Tilt refuses what Tilt would refuse, so that TiltfileTest can fail. */
class TiltfileRunnerTest {

    @Test
    void runsTheRepositoryTiltfile() {
        Run run = Tiltfile.run(Project.path("Tiltfile"));

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.calls()).extracting(Tiltfile.Call::function)
                .contains("local_resource", "docker_build_with_restart", "helm", "k8s_yaml", "k8s_resource");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            while-loop.Tiltfile                   | line 3: Starlark has no while
            f-string.Tiltfile                     | line 3: Starlark has no f-strings
            import.Tiltfile                       | line 2: Starlark has no import
            misspelled-argument.Tiltfile          | k8s_resource(): got an unexpected keyword argument 'port_forward'
            unknown-function.Tiltfile             | name 'docker_biuld' is not defined
            unknown-extension.Tiltfile            | load(): unknown module ext://no_such_extension
            python-builtin.Tiltfile               | name 'open' is not defined
            restart-without-live-update.Tiltfile  | requires at least one live_update step
            """)
    void rejectsWhatTiltWouldReject(String file, String problem) {
        Run run = Tiltfile.run(Project.path("src/test/resources/deploy/tiltfiles/" + file));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr()).contains(problem);
    }
}
