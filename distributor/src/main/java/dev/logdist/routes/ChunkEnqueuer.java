package dev.logdist.routes;

import dev.logdist.delivery.DeliveryOutcomes;
import dev.logdist.delivery.QueueBudget;
import dev.logdist.model.Chunk;
import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.seda.SedaEndpoint;
import org.apache.camel.support.AsyncProcessorSupport;
import org.apache.camel.support.DefaultExchange;

/**
 * A balancer target: puts the chunk into its analyzer's bounded SEDA queue, within the queue's byte budget. What does
 * not fit in time is an overflow: spooled under hold, refused (the ingest answers 503) under failover. It offers a
 * fresh exchange that carries only the chunk, which is all the delivery route reads, instead of a copy of the ingest
 * exchange with its HTTP message and properties.
 * <p>
 * The ingest route runs on the event loop that read the request ({@link IngestHttpEngine}), which must never wait: a
 * chunk that fits goes into the queue at once, and one that does not (waiting for room, or spooling to disk) is
 * handed with the rest of the route to {@code waits}, a small pool of threads that may block.
 */
public final class ChunkEnqueuer extends AsyncProcessorSupport {

    private final CamelContext context;
    private final BlockingQueue<Exchange> queue;
    private final long offerTimeoutMs;
    private final QueueBudget budget;
    private final DeliveryOutcomes outcomes;
    private final int analyzer;
    private final Executor waits;

    public ChunkEnqueuer(SedaEndpoint seda, long offerTimeoutMs, QueueBudget budget, DeliveryOutcomes outcomes, int analyzer,
                         Executor waits) {
        this.context = seda.getCamelContext();
        this.queue = seda.getQueue();
        this.offerTimeoutMs = offerTimeoutMs;
        this.budget = budget;
        this.outcomes = outcomes;
        this.analyzer = analyzer;
        this.waits = waits;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Chunk chunk = exchange.getMessage().getBody(Chunk.class);
        long bytes = chunk.json().length;
        boolean reserved = budget.tryReserve(analyzer, bytes);
        if (reserved && queue.offer(wrap(chunk))) {
            callback.done(true);
            return true;
        }
        try {
            waits.execute(() -> {
                try {
                    enqueueWaiting(chunk, bytes, reserved);
                } catch (Throwable e) {
                    exchange.setException(e);
                } finally {
                    callback.done(false);
                }
            });
        } catch (RejectedExecutionException e) { // stopping
            if (reserved) {
                budget.release(analyzer, bytes);
            }
            exchange.setException(new IngestProcessor.NoRoomException("stopping: " + e.getMessage()));
            callback.done(true);
            return true;
        }
        return false;
    }

    /** Waits up to the offer timeout for room in the queue; a chunk over the byte budget or still not in overflows. */
    private void enqueueWaiting(Chunk chunk, long bytes, boolean reserved) throws IOException {
        if (reserved) {
            if (offer(wrap(chunk))) {
                return;
            }
            budget.release(analyzer, bytes);
        }
        outcomes.overflow(analyzer, chunk);
    }

    private Exchange wrap(Chunk chunk) {
        Exchange queued = new DefaultExchange(context);
        queued.getMessage().setBody(chunk);
        return queued;
    }

    private boolean offer(Exchange queued) {
        try {
            return queue.offer(queued, offerTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
