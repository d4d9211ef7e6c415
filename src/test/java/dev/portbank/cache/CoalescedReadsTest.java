package dev.portbank.cache;

import dev.portbank.config.RedisUrl;
import dev.portbank.config.Settings;
import dev.portbank.platform.RedisClients;
import dev.portbank.testing.TestRedis;
import io.helidon.metrics.api.DistributionSummary;
import io.helidon.metrics.api.Metrics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Concurrent reads share Redis round trips, each still gets its own value, and Redis trouble reaches each caller. */
class CoalescedReadsTest {
    private static final Duration TIMEOUT = Duration.ofMillis(250);
    private static TestRedis server;

    @BeforeAll
    static void start() {
        server = TestRedis.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static RedisClient client() {
        return RedisClients.pooled(RedisUrl.parse(server.url(), Optional.empty()),
                new Settings.Cache(Optional.empty(), 8, TIMEOUT), "coalesced-reads-test");
    }

    @Test
    void concurrentReadsEachGetTheirOwnValueFromSharedRoundTrips() throws Exception {
        Map<String, String> stored = new HashMap<>();
        try (RedisClient redis = client()) {
            for (int i = 0; i < 500; i++) {
                stored.put("coalesced:" + i, "value " + i);
                redis.set("coalesced:" + i, "value " + i);
            }
        }
        DistributionSummary groups = Metrics.globalRegistry().getOrCreate(
                DistributionSummary.builder("portbank.cache.read.group.size"));
        long groupsBefore = groups.count();
        double keysBefore = groups.totalAmount();

        try (RedisClient redis = client(); CoalescedReads reads = new CoalescedReads(redis, TIMEOUT, 2);
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
             RedisClient pauser = server.client()) {
            // Redis holds every command for 200 ms: the reads sent meanwhile queue behind the first round trips.
            pauser.sendCommand(Protocol.Command.CLIENT, "PAUSE", "200", "ALL");
            List<Callable<String>> calls = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                String key = i % 2 == 0 ? "coalesced:" + (i / 2) : "coalesced:missing:" + i;
                calls.add(() -> key + "=" + reads.get(key));
            }
            List<Future<String>> answers = clients.invokeAll(calls);

            for (int i = 0; i < answers.size(); i++) {
                String key = i % 2 == 0 ? "coalesced:" + (i / 2) : "coalesced:missing:" + i;
                assertThat(answers.get(i).get()).isEqualTo(key + "=" + stored.get(key));
            }
        }
        long roundTrips = groups.count() - groupsBefore;
        assertThat(groups.totalAmount() - keysBefore).as("every read was asked for once").isEqualTo(1_000);
        assertThat(roundTrips).as("1,000 reads in far fewer MGETs").isBetween(1L, 500L);
    }

    @Test
    void aReadWhenRedisIsGoneFailsWithinTwiceTheTimeout() {
        RedisClient unreachable = RedisClients.pooled(RedisUrl.parse("redis://127.0.0.1:9", Optional.empty()),
                new Settings.Cache(Optional.empty(), 2, TIMEOUT), "coalesced-reads-test");
        try (unreachable; CoalescedReads reads = new CoalescedReads(unreachable, TIMEOUT, 1)) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> reads.get("any")).isInstanceOf(RuntimeException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TIMEOUT.multipliedBy(2).plusMillis(200));
        }
    }

    @Test
    void aReadWhileRedisIsPausedTimesOutAndTheNextOneWorksAgain() throws Exception {
        try (RedisClient redis = client(); CoalescedReads reads = new CoalescedReads(redis, TIMEOUT, 1)) {
            redis.set("coalesced:after-pause", "back");
            server.pause();
            try {
                assertThatThrownBy(() -> reads.get("coalesced:after-pause")).isInstanceOf(RuntimeException.class);
            } finally {
                server.resume();
            }
            String value = null;
            for (int attempt = 0; attempt < 20 && value == null; attempt++) {
                try {
                    value = reads.get("coalesced:after-pause");
                } catch (RuntimeException e) {
                    Thread.sleep(100); // the worker's connection timed out; the pool hands out a fresh one
                }
            }
            assertThat(value).isEqualTo("back");
        }
    }

    @Test
    void aClosedReaderRefusesReads() {
        RedisClient redis = client();
        CoalescedReads reads = new CoalescedReads(redis, TIMEOUT, 1);
        reads.close();
        redis.close();

        assertThatThrownBy(() -> reads.get("any")).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
