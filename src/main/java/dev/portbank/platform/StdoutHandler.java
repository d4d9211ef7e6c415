package dev.portbank.platform;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.ErrorManager;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/**
 * Writes log lines to stdout from one writer thread, as many lines per write as have queued up. A request thread only
 * formats its line and queues it: under load, JDK's {@code StreamHandler} made every request format, write and flush
 * under one lock (a fifth of a balance read's CPU went there). Nothing is dropped: a full queue makes the caller wait,
 * and {@link #close()} (JUL's shutdown hook calls it) writes what is left.
 */
final class StdoutHandler extends Handler {
    private static final int QUEUE_LINES = 16_384;
    private static final int LINES_PER_WRITE = 512;
    private static final long CLOSE_WAIT_MILLIS = 2_000;
    private static final String STOP = new String("stop");

    private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(QUEUE_LINES);
    private final OutputStream out;
    private final Thread writer;
    private volatile boolean closed;

    StdoutHandler(OutputStream out, Formatter formatter) {
        this.out = out;
        setFormatter(formatter);
        this.writer = Thread.ofPlatform().daemon().name("log-writer").start(this::writeLines);
    }

    @Override
    public void publish(LogRecord record) {
        if (closed || !isLoggable(record)) {
            return;
        }
        String line;
        try {
            line = getFormatter().format(record);
        } catch (RuntimeException e) {
            reportError("cannot format a log record", e, ErrorManager.FORMAT_FAILURE);
            return;
        }
        try {
            lines.put(line);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeLines() {
        List<String> batch = new ArrayList<>(LINES_PER_WRITE);
        StringBuilder text = new StringBuilder(8192);
        while (true) {
            try {
                batch.add(lines.take());
            } catch (InterruptedException e) {
                return;
            }
            lines.drainTo(batch, LINES_PER_WRITE - 1);
            boolean stop = false;
            for (String line : batch) {
                if (line == STOP) {
                    stop = true;
                } else {
                    text.append(line);
                }
            }
            write(text);
            batch.clear();
            text.setLength(0);
            if (stop) {
                return;
            }
        }
    }

    private void write(CharSequence text) {
        if (text.isEmpty()) {
            return;
        }
        try {
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            reportError("cannot write to stdout", e, ErrorManager.WRITE_FAILURE);
        }
    }

    /** Lines are written as soon as the writer gets to them; there is nothing to force. */
    @Override
    public void flush() {
    }

    /** Writes every line queued so far, then stops the writer. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (lines.offer(STOP, CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                writer.join(CLOSE_WAIT_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
