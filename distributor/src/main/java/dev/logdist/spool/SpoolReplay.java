package dev.logdist.spool;

import dev.logdist.config.DistributorConfig;
import dev.logdist.delivery.AnalyzerHealth;
import dev.logdist.delivery.AnalyzerRequests;
import dev.logdist.delivery.Completions;
import dev.logdist.delivery.DeliveryStats;
import dev.logdist.delivery.SendRoutes;
import dev.logdist.model.Chunk;
import java.io.IOException;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code replay-<name>} timer per analyzer sends its oldest spooled chunks through its breaker, in order, a batch at
 * a time, and moves the spool's cursor past them once the analyzer took them. Nothing is sent while it is DOWN.
 */
public class SpoolReplay extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(SpoolReplay.class);
    /** The first look at the spools waits for the routes to have started. */
    private static final long FIRST_DELAY_MS = 1000;

    private final List<String> names;
    private final DistributorConfig.Outage settings;
    /** A replay batch's cap in bytes besides its cap in chunks: the delivery's, which the analyzer is known to take. */
    private final long maxBatchBytes;
    private final Spools spools;
    private final AnalyzerHealth health;
    private final Completions completions;
    private final DeliveryStats stats;
    /** Per analyzer, whether a replay is under way (written by that analyzer's single replay timer thread only). */
    private final boolean[] replaying;
    private ProducerTemplate template;

    public SpoolReplay(List<String> names, DistributorConfig.Outage settings, long maxBatchBytes, Spools spools,
                       AnalyzerHealth health, Completions completions, DeliveryStats stats) {
        this.names = List.copyOf(names);
        this.settings = settings;
        this.maxBatchBytes = maxBatchBytes;
        this.spools = spools;
        this.health = health;
        this.completions = completions;
        this.stats = stats;
        this.replaying = new boolean[names.size()];
    }

    @Override
    public void configure() {
        template = getContext().createProducerTemplate();
        for (int i = 0; i < names.size(); i++) {
            int analyzer = i;
            from("timer:replay-" + names.get(i) + "?delay=" + FIRST_DELAY_MS + "&period=" + settings.replayIntervalMs())
                    .routeId("replay-" + names.get(i))
                    .errorHandler(noErrorHandler())
                    .process(e -> replay(analyzer));
        }
    }

    /** Sends up to a replay batch of the analyzer's oldest spooled chunks; returns how many left the spool. */
    int replay(int analyzer) throws IOException {
        DiskSpool spool = spools.of(analyzer);
        if (health.state(analyzer) == AnalyzerHealth.State.DOWN || spool.pendingRecords() == 0) {
            return 0;
        }
        List<Chunk> chunks = spool.peek(settings.replayBatch(), maxBatchBytes);
        if (chunks.isEmpty()) {
            return 0;
        }
        if (!replaying[analyzer]) {
            replaying[analyzer] = true;
            LOG.info("replaying the spool of {}: {} chunks waiting", names.get(analyzer), spool.pendingRecords());
        }
        Exchange result = template.send(SendRoutes.uri(names.get(analyzer)), e -> {
            e.setProperty(AnalyzerRequests.ANALYZER, analyzer);
            e.getMessage().setBody(chunks);
        });
        if (result.getException() != null) {
            stats.failedAttempt(analyzer);
            return 0;
        }
        completions.completed(result);
        spool.acknowledge(chunks.size());
        long left = spool.pendingRecords();
        if (left == 0) {
            replaying[analyzer] = false;
            LOG.info("spool of {} fully replayed", names.get(analyzer));
        } else {
            LOG.debug("replayed {} spooled chunks to {}; {} left", chunks.size(), names.get(analyzer), left);
        }
        return chunks.size();
    }
}
