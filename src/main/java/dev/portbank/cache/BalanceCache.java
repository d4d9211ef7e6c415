package dev.portbank.cache;

import dev.portbank.account.Balance;
import dev.portbank.account.BalanceLookup;
import dev.portbank.config.RedisUrl;
import dev.portbank.config.Settings;
import dev.portbank.platform.RedisClients;
import dev.portbank.platform.RedisScript;
import dev.portbank.transfer.CommittedMovements;
import io.helidon.faulttolerance.CircuitBreaker;
import io.helidon.health.HealthCheckResponse;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Timer;
import redis.clients.jedis.RedisClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Balances in Redis, in front of PostgreSQL. Reads try Redis, fall back to PostgreSQL on a miss (and fill Redis) or
 * on any Redis trouble. After a commit both new balances are written before the client is answered; a write that
 * fails advances the {@link CacheEpoch} instead, so no instance ever reads a balance older than an acknowledged
 * movement from Redis. Cached balances carry the account's version, and only a newer one replaces one; values
 * written while an epoch move is under way are provisional and never served.
 */
public final class BalanceCache implements BalanceLookup, CommittedMovements, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(BalanceCache.class.getName());
    /**
     * Sets each KEYS[i] to ARGV[2i] unless it already holds a well-formed value of rank at least ARGV[2i-1]; the last
     * ARGV is the TTL. A value not in the {@link CachedBalance} format is replaced, never compared.
     */
    private static final RedisScript SET_IF_NEWER = new RedisScript("""
            for i = 1, #KEYS do
              local current = redis.call('GET', KEYS[i])
              local rank = current and tonumber(string.match(current, '^(%d+) %-?%d+ %S+ '))
              if not rank or rank < tonumber(ARGV[2 * i - 1]) then
                redis.call('SET', KEYS[i], ARGV[2 * i], 'EX', ARGV[#ARGV])
              end
            end
            return 1""");
    /** Deletes KEYS[1] if it still holds ARGV[1]: a malformed value goes, a newer one written meanwhile stays. */
    private static final RedisScript DELETE_IF_UNCHANGED = new RedisScript("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('DEL', KEYS[1])
            end
            return 0""");
    private static final Duration ENTRY_TTL = Duration.ofHours(24);
    private static final Duration PROBE_EVERY = Duration.ofSeconds(1);
    /** Two MGETs on the wire at once: one fills while the other waits for Redis, as two groups commit at once. */
    private static final int READ_WORKERS = 2;

    private final RedisClient redis;
    private final CoalescedReads reads;
    private final BalanceLookup database;
    private final CacheEpoch epoch;
    private final CircuitBreaker breaker;
    private final RedisUrl url;
    private final ScheduledExecutorService probe = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("redis-probe").factory());
    private final Counter hits;
    private final Counter misses;
    private final Counter fallbacks;
    private final Counter writeFailures;
    private final Counter malformed;
    private final Timer latency;
    private volatile boolean redisUp;
    private volatile String runId;

    private BalanceCache(RedisUrl url, Settings.Cache settings, BalanceLookup database, CacheEpoch epoch) {
        this.url = url;
        this.database = database;
        this.epoch = epoch;
        this.redis = RedisClients.pooled(url, settings, "portbank");
        this.reads = new CoalescedReads(redis, settings.timeout(), READ_WORKERS);
        // Open after half of at least 10 calls fail; after 2 s let one call through to see whether Redis is back.
        this.breaker = CircuitBreaker.builder().name("redis").volume(10).errorRatio(50)
                .delay(Duration.ofSeconds(2)).successThreshold(1).build();
        MeterRegistry registry = Metrics.globalRegistry();
        this.hits = registry.getOrCreate(Counter.builder("portbank.cache.hits").description("balances from Redis"));
        this.misses = registry.getOrCreate(Counter.builder("portbank.cache.misses")
                .description("balances not in Redis, read from PostgreSQL and filled"));
        this.fallbacks = registry.getOrCreate(Counter.builder("portbank.cache.fallbacks")
                .description("balance reads served by PostgreSQL because Redis could not be used"));
        this.writeFailures = registry.getOrCreate(Counter.builder("portbank.cache.write.failures")
                .description("post-commit Redis writes that failed and advanced the cache epoch"));
        this.malformed = registry.getOrCreate(Counter.builder("portbank.cache.malformed")
                .description("cached balances not in the expected format, read from PostgreSQL and replaced"));
        this.latency = registry.getOrCreate(Timer.builder("portbank.cache.redis.latency")
                .description("Redis command latency").baseUnit(Meter.BaseUnits.SECONDS)
                .publishPercentileHistogram(true));
        registry.getOrCreate(Gauge.builder("portbank.cache.breaker.state", this::breakerCode)
                .description("Redis circuit breaker: 0 closed, 1 half-open, 2 open"));
        registry.getOrCreate(Gauge.builder("portbank.cache.epoch", epoch::current)
                .description("current cache epoch"));
    }

    /** Attaches the cache described by the settings, or returns empty (and says so) when REDIS_URL is unset. */
    public static Optional<BalanceCache> attach(Settings settings, BalanceLookup database,
                                                CacheEpoch.Connections connections) {
        if (settings.cache().url().isEmpty()) {
            LOG.info("REDIS_URL is not set: balance cache disabled, balances are read from PostgreSQL");
            return Optional.empty();
        }
        RedisUrl url = settings.cache().url().get();
        BalanceCache cache = new BalanceCache(url, settings.cache(), database,
                CacheEpoch.start(settings.database().url(), connections));
        cache.probe.scheduleWithFixedDelay(cache::probeRedis, 0, PROBE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("balance cache attached: " + url.redacted());
        return Optional.of(cache);
    }

    @Override
    public Optional<Balance> balance(UUID accountId) {
        // Taken before PostgreSQL is read, so a fill never lands in an epoch newer than what it read.
        CacheEpoch.State state = epoch.state();
        if (!state.stable()) {
            fallbacks.increment();
            return database.balance(accountId);
        }
        String cached;
        try {
            cached = breaker.invoke(() -> timed(() -> reads.get(key(state.epoch(), accountId))));
        } catch (RuntimeException e) {
            fallbacks.increment();
            return database.balance(accountId);
        }
        if (cached != null) {
            Optional<CachedBalance> hit = CachedBalance.parse(accountId, cached);
            if (hit.isEmpty()) {
                dropMalformed(state.epoch(), accountId, cached);
            } else if (!hit.get().provisional()) {
                hits.increment();
                return Optional.of(hit.get().balance());
            }
        }
        misses.increment();
        Optional<Balance> fresh = database.balance(accountId);
        fresh.ifPresent(balance -> {
            try {
                breaker.invoke(() -> store(state.epoch(), false, List.of(balance)));
            } catch (RuntimeException e) {
                // A failed fill only costs the next reader a miss.
            }
        });
        return fresh;
    }

    /** A value PortBank cannot read is a miss: PostgreSQL answers, and the fill that follows replaces it. */
    private void dropMalformed(long atEpoch, UUID accountId, String value) {
        malformed.increment();
        LOG.warning("malformed cached balance for account " + accountId + "; reading PostgreSQL and replacing it");
        try {
            breaker.invoke(() -> timed(() -> DELETE_IF_UNCHANGED.run(redis, List.of(key(atEpoch, accountId)),
                    List.of(value))));
        } catch (RuntimeException e) {
            // The fill below replaces it anyway, unless Redis is failing, and then nothing is read from it.
        }
    }

    /** Notes where this movement's balances will go, before it commits. */
    @Override
    public BalanceWriter begin() {
        CacheEpoch.Capture capture = epoch.capture();
        return new BalanceWriter() {
            @Override
            public void committed(List<Balance> balances) {
                write(capture, balances);
            }

            @Override
            public void unknown() {
                capture.close(); // before advancing, as after a failed write
                epoch.advance("the outcome of a commit is unknown; balances it may have changed are fenced");
            }

            @Override
            public void close() {
                capture.close();
            }
        };
    }

    /**
     * Writes to the newest epoch (provisional while it is not stable) and, while an epoch move is under way, to the
     * stable one too: instances that have not heard of the move still read it.
     */
    private void write(CacheEpoch.Capture capture, List<Balance> balances) {
        CacheEpoch.State state = capture.state();
        try {
            if (!balances.isEmpty()) {
                breaker.invoke(() -> state.stable() ? store(state.epoch(), false, balances)
                        : storeDuringMove(state, balances));
            }
            capture.close();
        } catch (RuntimeException e) {
            capture.close(); // before advancing: this instance must be able to confirm the new epoch
            writeFailures.increment();
            epoch.advance("could not write balances to Redis after a commit (" + e.getClass().getSimpleName() + ")");
        }
    }

    private Object storeDuringMove(CacheEpoch.State state, List<Balance> balances) {
        store(state.stableEpoch(), false, balances);
        return store(state.epoch(), true, balances);
    }

    /** Health details: the cache never makes PortBank unready, but operators see its state. */
    public HealthCheckResponse health() {
        return HealthCheckResponse.builder().status(HealthCheckResponse.Status.UP)
                .detail("redis", redisUp ? "UP" : "DOWN")
                .detail("breaker", breaker.state().name())
                .detail("epoch", epoch.current())
                .detail("epochListener", epoch.trusted() ? "UP" : "DOWN")
                .detail("epochStable", epoch.state().stable())
                .detail("epochAdvanceOwed", epoch.advanceOwed())
                .detail("url", url.redacted())
                .build();
    }

    @Override
    public void close() {
        probe.shutdownNow();
        epoch.close();
        reads.close();
        redis.close();
    }

    static String key(long epoch, UUID accountId) {
        return "portbank:" + epoch + ":balance:" + accountId;
    }

    private Object store(long atEpoch, boolean provisional, List<Balance> balances) {
        List<String> keys = new ArrayList<>(balances.size());
        List<String> args = new ArrayList<>(balances.size() * 2 + 1);
        for (Balance balance : balances) {
            keys.add(key(atEpoch, balance.accountId()));
            args.add(Long.toString(CachedBalance.rank(balance.version(), provisional)));
            args.add(CachedBalance.format(balance, provisional));
        }
        args.add(Long.toString(ENTRY_TTL.toSeconds()));
        return timed(() -> SET_IF_NEWER.run(redis, keys, args));
    }

    /** Every second: is Redis up, and is it still the same server (a restart may bring back old data)? */
    private void probeRedis() {
        try {
            String info = redis.info("server");
            String seen = info.lines().filter(line -> line.startsWith("run_id:")).findFirst()
                    .map(line -> line.substring("run_id:".length()).strip()).orElse(null);
            if (runId != null && seen != null && !seen.equals(runId)) {
                epoch.advance("Redis restarted (run_id changed); whatever it holds may be stale");
            }
            if (seen != null) {
                runId = seen;
            }
            redisUp = true;
        } catch (RuntimeException e) {
            redisUp = false;
        }
    }

    private <T> T timed(Supplier<T> command) {
        long start = System.nanoTime();
        try {
            return command.get();
        } finally {
            latency.record(Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private int breakerCode() {
        return switch (breaker.state()) {
            case CLOSED -> 0;
            case HALF_OPEN -> 1;
            case OPEN -> 2;
        };
    }
}
