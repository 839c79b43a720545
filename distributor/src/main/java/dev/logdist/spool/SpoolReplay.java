package dev.logdist.spool;

import dev.logdist.config.DistributorConfig;
import dev.logdist.delivery.AnalyzerHealth;
import dev.logdist.delivery.AnalyzerRequests;
import dev.logdist.delivery.ChunkKeeper;
import dev.logdist.delivery.DeliveryStats;
import dev.logdist.delivery.OutagePolicy;
import dev.logdist.delivery.SendRoutes;
import dev.logdist.model.Chunk;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code replay-<name>} timer per analyzer sends the oldest records of its journal that the memory queues do not
 * have (what did not fit, what failed, what was there before a restart) through its breaker, a batch at a time capped
 * in chunks and bytes, and marks them done once the analyzer took them. While it is DOWN nothing is sent; under
 * failover its records go to the analyzers that are up instead.
 */
public class SpoolReplay extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(SpoolReplay.class);
    /** The first look at the journals waits for the routes to have started. */
    private static final long FIRST_DELAY_MS = 1000;

    private final List<String> names;
    private final DistributorConfig config;
    private final Journals journals;
    private final SpoolBuffer.Replayable replayable;
    private final AnalyzerHealth health;
    private final OutagePolicy policy;
    private final ChunkKeeper keeper;
    private final Processor delivered;
    private final DeliveryStats stats;
    /** Per analyzer, whether a replay is under way (written by that analyzer's single replay timer thread only). */
    private final boolean[] replaying;
    private ProducerTemplate template;

    SpoolReplay(List<String> names, DistributorConfig config, Journals journals, SpoolBuffer.Replayable replayable,
                AnalyzerHealth health, OutagePolicy policy, ChunkKeeper keeper, Processor delivered, DeliveryStats stats) {
        this.names = List.copyOf(names);
        this.config = config;
        this.journals = journals;
        this.replayable = replayable;
        this.health = health;
        this.policy = policy;
        this.keeper = keeper;
        this.delivered = delivered;
        this.stats = stats;
        this.replaying = new boolean[names.size()];
    }

    @Override
    public void configure() {
        template = getContext().createProducerTemplate();
        for (int i = 0; i < names.size(); i++) {
            int analyzer = i;
            from("timer:replay-" + names.get(i) + "?delay=" + FIRST_DELAY_MS + "&period=" + config.outage().replayIntervalMs())
                    .routeId("replay-" + names.get(i))
                    .errorHandler(noErrorHandler())
                    .process(e -> replay(analyzer));
        }
    }

    /** Sends (or, failing over, moves) up to a replay batch of the analyzer's records; returns how many left. */
    int replay(int analyzer) throws Exception {
        Journal journal = journals.of(analyzer);
        boolean down = health.state(analyzer) == AnalyzerHealth.State.DOWN;
        if (down && policy.waitsWhileDown() || journal.pendingRecords() == 0) {
            return 0;
        }
        List<Chunk> chunks = journal.readPending(config.outage().replayBatch(), config.delivery().maxBatchBytes(),
                seq -> !replayable.test(analyzer, seq)).stream().map(e -> e.chunk().withSeq(e.seq())).toList();
        if (chunks.isEmpty()) {
            return 0;
        }
        return down ? failOver(analyzer, chunks) : send(analyzer, chunks);
    }

    private int send(int analyzer, List<Chunk> chunks) throws Exception {
        if (!replaying[analyzer]) {
            replaying[analyzer] = true;
            LOG.info("replaying the journal of {}: {} chunks waiting", names.get(analyzer), journals.of(analyzer).pendingRecords());
        }
        Exchange result = template.send(SendRoutes.uri(names.get(analyzer)), e -> {
            e.setProperty(AnalyzerRequests.ANALYZER, analyzer);
            e.getMessage().setBody(chunks);
        });
        if (result.getException() != null) {
            stats.failedAttempt(analyzer);
            return 0;
        }
        delivered.process(result);
        if (journals.of(analyzer).pendingRecords() == 0) {
            replaying[analyzer] = false;
            LOG.info("journal of {} fully replayed", names.get(analyzer));
        }
        return chunks.size();
    }

    /** Under failover, a DOWN analyzer's records go to analyzers that are up, as its memory queue's failures do. */
    private int failOver(int analyzer, List<Chunk> chunks) {
        int moved = 0;
        for (Chunk chunk : chunks) {
            int other = policy.redirect(analyzer, chunk);
            if (other < 0 || !keeper.move(analyzer, other, chunk)) {
                break;
            }
            stats.rerouted(analyzer);
            moved++;
        }
        return moved;
    }
}
