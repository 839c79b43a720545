package dev.logdist.routes;

import dev.logdist.delivery.DeliveryOutcomes;
import dev.logdist.delivery.QueueBudget;
import dev.logdist.model.Chunk;
import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.seda.SedaEndpoint;
import org.apache.camel.support.DefaultExchange;

/**
 * A balancer target: puts the chunk into its analyzer's bounded SEDA queue, within the queue's byte budget. What does
 * not fit in time is an overflow: spooled under hold, refused (the ingest answers 503) under failover. It offers a
 * fresh exchange that carries only the chunk, which is all the delivery route reads, instead of a copy of the ingest
 * exchange with its HTTP message and properties.
 */
public final class ChunkEnqueuer implements Processor {

    private final CamelContext context;
    private final BlockingQueue<Exchange> queue;
    private final long offerTimeoutMs;
    private final QueueBudget budget;
    private final DeliveryOutcomes outcomes;
    private final int analyzer;

    public ChunkEnqueuer(SedaEndpoint seda, long offerTimeoutMs, QueueBudget budget, DeliveryOutcomes outcomes, int analyzer) {
        this.context = seda.getCamelContext();
        this.queue = seda.getQueue();
        this.offerTimeoutMs = offerTimeoutMs;
        this.budget = budget;
        this.outcomes = outcomes;
        this.analyzer = analyzer;
    }

    @Override
    public void process(Exchange exchange) throws IOException {
        Chunk chunk = exchange.getMessage().getBody(Chunk.class);
        long bytes = chunk.json().length;
        if (budget.tryReserve(analyzer, bytes)) {
            Exchange queued = new DefaultExchange(context);
            queued.getMessage().setBody(chunk);
            if (offer(queued)) {
                return;
            }
            budget.release(analyzer, bytes);
        }
        outcomes.overflow(analyzer, chunk);
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
