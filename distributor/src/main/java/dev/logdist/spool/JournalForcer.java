package dev.logdist.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * Force rounds, one at a time and never under the append lock: the segments rolled since the last round (closed
 * afterwards), the active one, and the directory when it gained files; with the fsync latency counters.
 */
final class JournalForcer {

    private final Path dir;
    private final JournalWriter writer;
    /** One round at a time; appenders never take it. */
    private final Object roundLock = new Object();
    private final AtomicLong rounds = new AtomicLong();
    private final AtomicLong nanos = new AtomicLong();
    private final LongAccumulator maxNanos = new LongAccumulator(Math::max, 0);
    /** Runs before each force; tests hold a force there to see that nothing else waits for it. */
    volatile Runnable beforeForce = () -> { };

    JournalForcer(Path dir, JournalWriter writer) {
        this.dir = dir;
        this.writer = writer;
    }

    /** Forces everything written before this call began. */
    void force() throws IOException {
        synchronized (roundLock) {
            JournalWriter.Written written = writer.takeWritten();
            beforeForce.run();
            long t0 = System.nanoTime();
            IOException failure = null;
            for (JournalSegment s : written.rolled()) {
                try {
                    s.force();
                } catch (IOException e) {
                    failure = e;
                } finally {
                    s.closeWriter();
                }
            }
            try {
                if (written.active() != null) {
                    written.active().force();
                }
                if (written.newFiles()) {
                    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                        d.force(true); // a new segment's directory entry must survive a power cut too
                    }
                }
            } catch (IOException e) {
                failure = e;
            }
            long took = System.nanoTime() - t0;
            rounds.incrementAndGet();
            nanos.addAndGet(took);
            maxNanos.accumulate(took);
            if (failure != null) {
                throw failure;
            }
        }
    }

    long rounds() {
        return rounds.get();
    }

    long nanos() {
        return nanos.get();
    }

    long maxNanos() {
        return maxNanos.get();
    }
}
