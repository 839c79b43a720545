package dev.logdist.routes;

import dev.logdist.delivery.QueueBudget;
import dev.logdist.model.Chunk;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.seda.SedaEndpoint;

/**
 * Coalesces deliveries: with the chunk a SEDA consumer took, also takes the chunks already waiting behind it in the
 * queue (up to {@code maxBatch} chunks and {@code maxBatchBytes}), so that one request carries them all. Nothing
 * waits for a batch to fill: under light load a chunk travels alone at once, under heavy load batches grow by
 * themselves. The exchanges drained this way are fire-and-forget copies; only their chunks matter.
 */
public final class ChunkBatcher implements Processor {

    private final BlockingQueue<Exchange> queue;
    private final QueueBudget budget;
    private final int analyzer;
    private final int maxBatch;
    private final long maxBatchBytes;

    public ChunkBatcher(SedaEndpoint seda, QueueBudget budget, int analyzer, int maxBatch, long maxBatchBytes) {
        this.queue = seda.getQueue();
        this.budget = budget;
        this.analyzer = analyzer;
        this.maxBatch = maxBatch;
        this.maxBatchBytes = maxBatchBytes;
    }

    @Override
    public void process(Exchange exchange) {
        Chunk first = exchange.getMessage().getBody(Chunk.class);
        List<Chunk> batch = new ArrayList<>(Math.min(maxBatch, 16));
        batch.add(first);
        long bytes = first.json().length;
        while (batch.size() < maxBatch && bytes < maxBatchBytes) {
            Exchange next = queue.poll();
            if (next == null) {
                break;
            }
            Chunk chunk = next.getMessage().getBody(Chunk.class);
            batch.add(chunk);
            bytes += chunk.json().length;
        }
        budget.release(analyzer, bytes);
        exchange.getMessage().setBody(batch.size() == 1 ? first : batch);
    }
}
