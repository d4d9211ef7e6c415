package dev.portbank.testing;

import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server of the test's own on a free port, which the test may stop and start again with exactly the data it
 * had (its snapshot file), to play outages and restarts. Without the redis-server binary the test fails loudly.
 */
public final class TestRedis implements AutoCloseable {
    private final int port;
    private final Path dir;
    private Process process;

    private TestRedis(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    public static TestRedis start() {
        try {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            TestRedis redis = new TestRedis(port, Files.createTempDirectory("portbank-redis"));
            redis.startServer();
            return redis;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server for the test", e);
        }
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** A client for looking inside. */
    public RedisClient client() {
        return RedisClient.create("127.0.0.1", port);
    }

    /** Writes the snapshot that {@link #startAgain()} brings back. */
    public void snapshot() {
        try (RedisClient client = client()) {
            client.sendCommand(Protocol.Command.SAVE);
        }
    }

    /** Stops the server abruptly, as a crash would (nothing is saved). */
    public void stop() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGSTOP: the server keeps its connections but answers nothing, as a frozen or partitioned Redis. */
    public void pause() {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " of redis-server failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("kill -" + name + " of redis-server failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts the server again on the same port with the last snapshot's contents. */
    public void startAgain() {
        startServer();
    }

    @Override
    public void close() {
        stop();
    }

    private void startServer() {
        List<String> command = List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--dbfilename", "dump.rdb");
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("the cache tests need redis-server on the PATH", e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (RedisClient client = client()) {
                if ("PONG".equals(client.ping())) {
                    return;
                }
            } catch (RuntimeException notYet) {
                sleep();
            }
        }
        throw new IllegalStateException("redis-server did not start on port " + port);
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
