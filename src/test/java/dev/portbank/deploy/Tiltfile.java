package dev.portbank.deploy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

/**
 * The Tilt functions a Tiltfile calls, found by running it with stand-ins for Tilt
 * (scripts/tilt-check/run_tiltfile.py, on the machine's python3).
 */
final class Tiltfile {
    static final Path RUNNER = Project.path("scripts/tilt-check/run_tiltfile.py");

    private Tiltfile() {
    }

    /** What the runner answered: its exit status, the JSON of the calls, or the problem on stderr. */
    record Run(int exitCode, String stdout, String stderr) {

        List<Call> calls() {
            if (exitCode != 0) {
                throw new AssertionError("the Tiltfile did not run: " + stderr);
            }
            JsonObject output = JsonParser.parseString(stdout).getAsJsonObject();
            return StreamSupport.stream(output.getAsJsonArray("calls").spliterator(), false)
                    .map(JsonElement::getAsJsonObject)
                    .map(call -> new Call(call.get("function").getAsString(), call.getAsJsonObject("args")))
                    .toList();
        }
    }

    /** One call of a Tilt function, with its arguments by Tilt's parameter names. */
    record Call(String function, JsonObject args) {

        String string(String parameter) {
            return args.get(parameter).getAsString();
        }

        List<String> strings(String parameter) {
            JsonElement value = args.get(parameter);
            if (value == null) {
                return List.of();
            }
            if (value.isJsonPrimitive()) {
                return List.of(value.getAsString());
            }
            return value.getAsJsonArray().asList().stream().map(JsonElement::getAsString).toList();
        }

        List<JsonObject> objects(String parameter) {
            JsonElement value = args.get(parameter);
            return value == null ? List.of() : value.getAsJsonArray().asList().stream().map(JsonElement::getAsJsonObject).toList();
        }
    }

    static Run run(Path tiltfile) {
        try {
            Process process = new ProcessBuilder("python3", RUNNER.toString(), tiltfile.toString())
                    .directory(tiltfile.toAbsolutePath().getParent().toFile())
                    .start();
            process.getOutputStream().close();
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            String stdout = readAll(process.getInputStream());
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the Tiltfile runner did not finish");
            }
            return new Run(process.exitValue(), stdout, stderr.join());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run python3, which the Tiltfile check needs", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String readAll(InputStream stream) {
        try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
