package dev.portbank.platform;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.assertj.core.api.Assertions.assertThat;

class StdoutHandlerTest {
    private static final int THREADS = 8;
    private static final int LINES_PER_THREAD = 5_000;

    @Test
    void everyLineFromManyThreadsIsWrittenWholeAndNoneIsLostByClose() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StdoutHandler handler = new StdoutHandler(out, LogSetup.formatter("text", false));
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            threads.add(Thread.ofPlatform().start(() -> {
                await(start);
                for (int i = 0; i < LINES_PER_THREAD; i++) {
                    handler.publish(new LogRecord(Level.INFO, "line-" + thread + "-" + i));
                }
            }));
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        handler.close();

        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(THREADS * LINES_PER_THREAD);
        assertThat(lines).allMatch(line -> line.matches("\\S+ INFO  - line-\\d+-\\d+"));
        for (int t = 0; t < THREADS; t++) {
            String prefix = "line-" + t + "-";
            List<Integer> order = lines.stream().filter(line -> line.contains(prefix))
                    .map(line -> Integer.parseInt(line.substring(line.lastIndexOf('-') + 1))).toList();
            assertThat(order).as("one thread's lines, in the order it logged them").isSorted()
                    .hasSize(LINES_PER_THREAD);
        }
    }

    @Test
    void aLineIsWrittenWithoutWaitingForMore() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StdoutHandler handler = new StdoutHandler(out, LogSetup.formatter("text", false));
        handler.publish(new LogRecord(Level.WARNING, "alone"));
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (out.size() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("WARN  - alone");
        handler.close();
    }

    @Test
    void recordsBelowTheHandlersLevelAreNotWritten() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StdoutHandler handler = new StdoutHandler(out, LogSetup.formatter("text", false));
        handler.setLevel(Level.WARNING);
        handler.publish(new LogRecord(Level.INFO, "quiet"));
        handler.publish(new LogRecord(Level.SEVERE, "loud"));
        handler.close();
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("quiet").contains("ERROR - loud");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
