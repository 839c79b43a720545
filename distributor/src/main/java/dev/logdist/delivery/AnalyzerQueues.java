package dev.logdist.delivery;

import dev.logdist.config.AnalyzerSpec;
import dev.logdist.config.DistributorConfig;
import dev.logdist.model.Chunk;
import java.util.List;
import java.util.concurrent.Executor;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.CamelContext;
import org.apache.camel.component.seda.SedaEndpoint;

/**
 * Every analyzer's bounded in-memory SEDA queue, the fast path from the balancer to its delivery route, with the byte
 * budget that keeps a slow analyzer from filling the heap. The same endpoint serves producer and consumer.
 */
public final class AnalyzerQueues {

    private final List<AnalyzerSpec> analyzers;
    private final DistributorConfig.Delivery settings;
    private final QueueBudget budget;
    private final SedaEndpoint[] queues;

    public AnalyzerQueues(CamelContext context, List<AnalyzerSpec> analyzers, DistributorConfig.Delivery settings) {
        this.analyzers = List.copyOf(analyzers);
        this.settings = settings;
        this.budget = new QueueBudget(analyzers.size(), settings.queueMaxBytes());
        this.queues = new SedaEndpoint[analyzers.size()];
        for (int i = 0; i < queues.length; i++) {
            queues[i] = context.getEndpoint(uri(i), SedaEndpoint.class);
        }
    }

    /** The queue's endpoint URI, with its size and consumers from the settings. */
    public String uri(int analyzer) {
        return "seda:analyzer-" + analyzers.get(analyzer).name()
                + "?size=" + settings.queueSize()
                + "&concurrentConsumers=" + settings.consumersPerAnalyzer()
                + "&blockWhenFull=true&offerTimeout=" + settings.offerTimeoutMs()
                + "&waitForTaskToComplete=Never";
    }

    /** The balancer's target for the analyzer: queues the chunk, handing what must wait to {@code waits}. */
    public AsyncProcessor intake(int analyzer, Executor waits, ChunkEnqueuer.Overflow overflow) {
        return new ChunkEnqueuer(queues[analyzer], settings.offerTimeoutMs(), budget, analyzer, waits, overflow);
    }

    /** Gathers what waits in the analyzer's queue into one delivery. */
    public ChunkBatcher batcher(int analyzer) {
        return new ChunkBatcher(queues[analyzer], budget, analyzer, settings.maxBatch(), settings.maxBatchBytes(),
                settings.lingerMs());
    }

    /** How many chunks wait in the analyzer's queue. */
    public int queued(int analyzer) {
        return queues[analyzer].getCurrentQueueSize();
    }

    /** Queues the chunk if its queue and byte budget have room now, without waiting; false, nothing held, if not. */
    public boolean offerNow(int analyzer, Chunk chunk) {
        return ChunkEnqueuer.offerNow(queues[analyzer], budget, analyzer, chunk);
    }

    /**
     * Queues a chunk for {@code analyzer} that another could not take, within its byte budget (which its delivery
     * releases, as for every queued chunk), waiting up to the offer timeout; false, nothing queued, when it has no room.
     */
    public boolean reroute(int analyzer, Chunk chunk) {
        return ChunkEnqueuer.offerWaiting(queues[analyzer], settings.offerTimeoutMs(), budget, analyzer, chunk);
    }
}
