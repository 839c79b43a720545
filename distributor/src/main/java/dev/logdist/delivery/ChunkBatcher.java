package dev.logdist.delivery;

import dev.logdist.delivery.QueueBudget;
import dev.logdist.model.Chunk;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.seda.SedaEndpoint;

/**
 * Coalesces deliveries: with the chunk a SEDA consumer took, also takes the chunks that wait behind it in the queue or
 * arrive within {@code lingerMs} of it (up to {@code maxBatch} chunks and {@code maxBatchBytes}), so that one request
 * carries them all. One consumer gathers at a time while the others send what they gathered, so batches do not
 * shrink by being shared out among consumers. The exchanges drained this way are fire-and-forget; only their chunks
 * matter.
 */
public final class ChunkBatcher implements Processor {

    private final BlockingQueue<Exchange> queue;
    private final QueueBudget budget;
    private final int analyzer;
    private final int maxBatch;
    private final long maxBatchBytes;
    private final long lingerNanos;
    /** How long a gatherer sleeps between looks at the queue: a fraction of the linger, so a full batch leaves early. */
    private static final long PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final ReentrantLock gathering = new ReentrantLock();

    public ChunkBatcher(SedaEndpoint seda, QueueBudget budget, int analyzer, int maxBatch, long maxBatchBytes, long lingerMs) {
        this.queue = seda.getQueue();
        this.budget = budget;
        this.analyzer = analyzer;
        this.maxBatch = maxBatch;
        this.maxBatchBytes = maxBatchBytes;
        this.lingerNanos = TimeUnit.MILLISECONDS.toNanos(lingerMs);
    }

    @Override
    public void process(Exchange exchange) {
        long deadline = System.nanoTime() + lingerNanos;
        Chunk first = exchange.getMessage().getBody(Chunk.class);
        Batch batch = new Batch(first, Math.min(maxBatch, 64));
        gathering.lock(); // held for at most lingerMs by the one gathering
        try {
            while (take(batch)) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || Thread.currentThread().isInterrupted()) {
                    break; // at the deadline, or stopping: send what was gathered, which now sits only in this batch
                }
                // sleeps rather than waits on the queue: a waiting consumer is woken by every offer, which cost the
                // event loops a context switch per request (bench/profiles.md); chunks wait in the queue meanwhile
                LockSupport.parkNanos(Math.min(left, PAUSE_NANOS));
            }
        } finally {
            gathering.unlock();
            budget.release(analyzer, batch.bytes);
        }
        exchange.getMessage().setBody(batch.chunks.size() == 1 ? first : batch.chunks);
    }

    /** Moves waiting chunks into the batch without waiting; false once the batch is full. */
    private boolean take(Batch batch) {
        while (batch.chunks.size() < maxBatch && batch.bytes < maxBatchBytes) {
            Exchange next = queue.poll();
            if (next == null) {
                return true;
            }
            batch.add(next.getMessage().getBody(Chunk.class));
        }
        return false;
    }

    private static final class Batch {
        final List<Chunk> chunks;
        long bytes;

        Batch(Chunk first, int capacity) {
            chunks = new ArrayList<>(capacity);
            add(first);
        }

        void add(Chunk chunk) {
            chunks.add(chunk);
            bytes += chunk.json().length;
        }
    }
}
