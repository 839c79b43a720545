package dev.logdist.spool;

import dev.logdist.buffer.Buffer;
import dev.logdist.config.AnalyzerSpec;
import dev.logdist.config.DistributorConfig;
import dev.logdist.delivery.AnalyzerHealth;
import dev.logdist.delivery.AnalyzerQueues;
import dev.logdist.delivery.ChunkKeeper;
import dev.logdist.delivery.Completions;
import dev.logdist.delivery.DeliveryStats;
import dev.logdist.delivery.NoRoomException;
import dev.logdist.delivery.OutagePolicy;
import dev.logdist.delivery.QueueDeliveryRoutes;
import dev.logdist.delivery.Undelivered;
import dev.logdist.model.Chunk;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.RoutesBuilder;

/**
 * The spool buffer: each analyzer's chunks wait in its bounded memory queue and are delivered from there; what the
 * queue has no room for (under hold) and what could not be delivered is kept in the analyzer's disk spool and replayed,
 * oldest first, once its breaker lets traffic through.
 */
public final class SpoolBuffer implements Buffer, ChunkKeeper {

    private final List<AnalyzerSpec> analyzers;
    private final Spools spools;
    private final AnalyzerQueues queues;
    private final OutagePolicy policy;
    private final AsyncProcessor[] intakes;
    private final List<RoutesBuilder> routes;

    public SpoolBuffer(DistributorConfig config, Spools spools, AnalyzerQueues queues, OutagePolicy policy,
                       Completions completions, DeliveryStats stats, AnalyzerHealth health, Executor waits) {
        this.analyzers = config.analyzers();
        this.spools = spools;
        this.queues = queues;
        this.policy = policy;
        this.intakes = new AsyncProcessor[analyzers.size()];
        for (int i = 0; i < intakes.length; i++) {
            intakes[i] = queues.intake(i, waits, this::overflow);
        }
        List<String> names = analyzers.stream().map(AnalyzerSpec::name).toList();
        this.routes = List.of(
                new QueueDeliveryRoutes(analyzers, config.delivery(), queues, completions,
                        new Undelivered(names, policy, queues, this, stats)),
                new SpoolReplay(names, config.outage(), config.delivery().maxBatchBytes(), spools, health, completions,
                        stats));
    }

    /**
     * A chunk its analyzer's queue has no room for (over its byte budget, or full past the offer timeout): kept in
     * the spool under hold; refused, so that ingest answers 503 and the agent's retry is balanced afresh, under failover.
     */
    private void overflow(int analyzer, Chunk chunk) throws IOException {
        if (!policy.keepsOverflow()) {
            throw new NoRoomException("the queue of analyzer " + analyzers.get(analyzer).name() + " is full");
        }
        keep(analyzer, chunk);
    }

    @Override
    public void keep(int analyzer, Chunk chunk) throws IOException {
        spools.of(analyzer).append(chunk);
    }

    @Override
    public AsyncProcessor intake(int analyzer) {
        return intakes[analyzer];
    }

    @Override
    public String intakeId(int analyzer) {
        return "enqueue-" + analyzers.get(analyzer).name();
    }

    @Override
    public List<RoutesBuilder> routes() {
        return routes;
    }

    @Override
    public boolean hasRoom() {
        return spools.hasRoom();
    }

    @Override
    public List<String> problems() {
        return spools.hasRoom() ? List.of() : List.of("spool full or disk nearly full");
    }

    @Override
    public long queued(int analyzer) {
        return queues.queued(analyzer);
    }

    @Override
    public long spooled(int analyzer) {
        return spools.of(analyzer).pendingRecords();
    }

    @Override
    public Map<String, Object> details(int analyzer) {
        return Map.of();
    }

    @Override
    public void bindMetrics(MeterRegistry registry, List<String> names) {
        // queued and spooled are every buffer's series; the spool has none of its own
    }
}
