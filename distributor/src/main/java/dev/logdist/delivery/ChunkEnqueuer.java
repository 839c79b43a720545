package dev.logdist.delivery;

import dev.logdist.model.Chunk;
import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.component.seda.SedaEndpoint;
import org.apache.camel.support.AsyncProcessorSupport;
import org.apache.camel.support.DefaultExchange;

/**
 * A balancer target: puts the chunk into its analyzer's bounded SEDA queue, within the queue's byte budget. What does
 * not fit in time is an {@link Overflow}, which the buffer behind the queues decides about. It offers a fresh exchange
 * that carries only the chunk, which is all the delivery route reads, instead of a copy of the ingest exchange.
 * <p>
 * The ingest route runs on the event loop that read the request, which must never wait: a chunk that fits goes into
 * the queue at once, and one that does not (waiting for room, or overflowing) is handed with the rest of the route to
 * {@code waits}, a small pool of threads that may block.
 */
public final class ChunkEnqueuer extends AsyncProcessorSupport {

    /** What becomes of a chunk the queue has no room for in time: kept elsewhere, or thrown back (503). */
    @FunctionalInterface
    public interface Overflow {
        void overflow(int analyzer, Chunk chunk) throws IOException;
    }

    private final SedaEndpoint seda;
    private final long offerTimeoutMs;
    private final QueueBudget budget;
    private final int analyzer;
    private final Executor waits;
    private final Overflow overflow;

    ChunkEnqueuer(SedaEndpoint seda, long offerTimeoutMs, QueueBudget budget, int analyzer, Executor waits, Overflow overflow) {
        this.seda = seda;
        this.offerTimeoutMs = offerTimeoutMs;
        this.budget = budget;
        this.analyzer = analyzer;
        this.waits = waits;
        this.overflow = overflow;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Chunk chunk = exchange.getMessage().getBody(Chunk.class);
        long bytes = chunk.json().length;
        boolean reserved = budget.tryReserve(analyzer, bytes);
        if (reserved && seda.getQueue().offer(wrap(seda, chunk))) {
            callback.done(true);
            return true;
        }
        try {
            waits.execute(() -> {
                try {
                    if (!reserved || !offer(seda, offerTimeoutMs, chunk)) {
                        if (reserved) {
                            budget.release(analyzer, bytes);
                        }
                        overflow.overflow(analyzer, chunk);
                    }
                } catch (Throwable e) {
                    exchange.setException(e);
                } finally {
                    callback.done(false);
                }
            });
        } catch (RejectedExecutionException e) { // as many enqueues wait already as may, or stopping
            if (reserved) {
                budget.release(analyzer, bytes);
            }
            exchange.setException(new NoRoomException("no room to wait for the queue of analyzer " + analyzer + ": " + e.getMessage()));
            callback.done(true);
            return true;
        }
        return false;
    }

    /** Reserves room and waits up to the offer timeout for the queue to take the chunk; false, nothing held, if not. */
    static boolean offerWaiting(SedaEndpoint seda, long offerTimeoutMs, QueueBudget budget, int analyzer, Chunk chunk) {
        long bytes = chunk.json().length;
        if (!budget.tryReserve(analyzer, bytes)) {
            return false;
        }
        if (offer(seda, offerTimeoutMs, chunk)) {
            return true;
        }
        budget.release(analyzer, bytes);
        return false;
    }

    /** Reserves room and queues the chunk if both are there now; false, nothing held, if not. */
    static boolean offerNow(SedaEndpoint seda, QueueBudget budget, int analyzer, Chunk chunk) {
        long bytes = chunk.json().length;
        if (!budget.tryReserve(analyzer, bytes)) {
            return false;
        }
        if (seda.getQueue().offer(wrap(seda, chunk))) {
            return true;
        }
        budget.release(analyzer, bytes);
        return false;
    }

    private static Exchange wrap(SedaEndpoint seda, Chunk chunk) {
        Exchange queued = new DefaultExchange(seda.getCamelContext());
        queued.getMessage().setBody(chunk);
        return queued;
    }

    private static boolean offer(SedaEndpoint seda, long offerTimeoutMs, Chunk chunk) {
        BlockingQueue<Exchange> queue = seda.getQueue();
        try {
            return queue.offer(wrap(seda, chunk), offerTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
