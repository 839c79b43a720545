package dev.logdist.spool;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FSYNC durability's group commit: one thread per journal forces the files whenever appends wait, and completes every
 * future registered before that force began (their bytes were written before it); appends that arrive during a force
 * share the next one.
 */
final class JournalSyncer {

    private static final Logger LOG = LoggerFactory.getLogger(JournalSyncer.class);

    /** Forces everything written so far. */
    interface Force {
        void force() throws IOException;
    }

    private final Force force;
    private final Thread thread;
    private final Object lock = new Object();
    private List<CompletableFuture<Void>> waiting = new ArrayList<>();
    private boolean stopping;

    JournalSyncer(String name, Force force) {
        this.force = force;
        this.thread = new Thread(this::run, "journal-sync-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Registers a future to complete after the next force; its bytes must already be written. */
    void await(CompletableFuture<Void> durable) {
        synchronized (lock) {
            if (stopping) {
                durable.completeExceptionally(new IOException("journal closed before its records were forced"));
                return;
            }
            waiting.add(durable);
            lock.notifyAll();
        }
    }

    private void run() {
        while (true) {
            List<CompletableFuture<Void>> batch;
            synchronized (lock) {
                while (waiting.isEmpty() && !stopping) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        // only stop() ends this thread: futures must not be left hanging
                    }
                }
                if (waiting.isEmpty()) {
                    return;
                }
                batch = waiting;
                waiting = new ArrayList<>();
            }
            try {
                force.force();
                batch.forEach(f -> f.complete(null));
            } catch (IOException | RuntimeException e) {
                LOG.error("journal force failed; {} appends are not durable: {}", batch.size(), e.toString());
                batch.forEach(f -> f.completeExceptionally(e));
            }
        }
    }

    /** Forces what is still waiting, then ends the thread. */
    void stop() {
        synchronized (lock) {
            stopping = true;
            lock.notifyAll();
        }
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
