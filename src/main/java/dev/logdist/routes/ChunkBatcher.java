package dev.logdist.routes;

import dev.logdist.delivery.QueueBudget;
import dev.logdist.model.Chunk;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
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
        List<Chunk> batch = new ArrayList<>(Math.min(maxBatch, 64));
        batch.add(first);
        long bytes = first.json().length;
        gathering.lock(); // held for at most lingerMs by the one gathering
        try {
            while (batch.size() < maxBatch && bytes < maxBatchBytes) {
                Exchange next = next(deadline - System.nanoTime());
                if (next == null) {
                    break;
                }
                Chunk chunk = next.getMessage().getBody(Chunk.class);
                batch.add(chunk);
                bytes += chunk.json().length;
            }
        } finally {
            gathering.unlock();
            budget.release(analyzer, bytes);
        }
        exchange.getMessage().setBody(batch.size() == 1 ? first : batch);
    }

    /** The next waiting exchange, waiting at most {@code nanos}; null at the deadline or when stopping. */
    private Exchange next(long nanos) {
        if (nanos <= 0) {
            return queue.poll();
        }
        try {
            return queue.poll(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            // stopping: send what was gathered, which now sits only in this batch
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
