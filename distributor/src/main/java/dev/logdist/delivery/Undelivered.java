package dev.logdist.delivery;

import dev.logdist.model.Chunk;
import java.util.List;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dead-letter channel's end for the memory queues: a chunk whose retries are spent goes where the outage policy
 * sends it (another analyzer), else it is kept for its own analyzer; one that can be neither is counted lost.
 */
public final class Undelivered {

    private static final Logger LOG = LoggerFactory.getLogger(Undelivered.class);

    private final List<String> names;
    private final OutagePolicy policy;
    private final ChunkKeeper keeper;
    private final DeliveryStats stats;

    public Undelivered(List<String> names, OutagePolicy policy, ChunkKeeper keeper, DeliveryStats stats) {
        this.names = List.copyOf(names);
        this.policy = policy;
        this.keeper = keeper;
        this.stats = stats;
    }

    public void handle(Exchange exchange) {
        int analyzer = exchange.getProperty(AnalyzerRequests.ANALYZER, Integer.class);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        stats.failedAttempt(analyzer);
        for (Chunk chunk : AnalyzerRequests.batchOf(exchange)) {
            int other = policy.redirect(analyzer, chunk);
            if (other >= 0 && keeper.move(analyzer, other, chunk)) {
                LOG.debug("chunk {} failed on {} ({}); re-routed to {}", chunk.chunkId(), names.get(analyzer), cause,
                        names.get(other));
                stats.rerouted(analyzer);
                continue;
            }
            keep(analyzer, chunk, cause);
        }
    }

    private void keep(int analyzer, Chunk chunk, Exception cause) {
        try {
            keeper.keep(analyzer, chunk);
            LOG.debug("chunk {} for {} kept: {}", chunk.chunkId(), names.get(analyzer), String.valueOf(cause));
        } catch (Exception e) {
            stats.lost(analyzer);
            LOG.error("LOST chunk {} ({} messages) for analyzer {}: it could not be delivered ({}) nor kept ({})",
                    chunk.chunkId(), chunk.messages(), names.get(analyzer), cause, e.toString());
        }
    }
}
