package dev.logdist.kafka;

import dev.logdist.buffer.Buffer;
import dev.logdist.config.DistributorConfig;
import dev.logdist.delivery.AnalyzerHealth;
import dev.logdist.delivery.Completions;
import dev.logdist.delivery.DeliveryStats;
import dev.logdist.delivery.OutagePolicy;
import dev.logdist.model.Chunk;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.support.AsyncProcessorConverterHelper;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The Kafka buffer ({@code DISTRIBUTOR_BUFFER=kafka}): a chunk is acknowledged once its analyzer's topic holds it on
 * every in-sync replica, and one delivery thread per analyzer, in a consumer group every replica joins, sends the
 * topic on and commits what the analyzer took. Chunks waiting are the group's lag; nothing is kept on local disk.
 */
public final class KafkaBuffer extends ServiceSupport implements Buffer {

    /** How long keeping a chunk (a redrive) waits for Kafka to have it. */
    private static final long KEEP_WAIT_SECONDS = 30;

    private final List<String> names;
    private final KafkaTopics topics;
    private final KafkaDeliveries deliveries;
    private final AsyncProcessor[] intakes;

    public KafkaBuffer(CamelContext context, DistributorConfig config, Completions completions, DeliveryStats stats,
                       AnalyzerHealth health, OutagePolicy policy, Executor waits) throws Exception {
        DistributorConfig.Kafka settings = config.kafka().orElseThrow();
        this.names = config.analyzers().stream().map(a -> a.name()).toList();
        this.topics = new KafkaTopics(settings, names, config.limits().maxBodyBytes());
        this.deliveries = new KafkaDeliveries(context, topics, config, completions, stats, health, policy);
        this.intakes = new AsyncProcessor[names.size()];
        for (int i = 0; i < intakes.length; i++) {
            intakes[i] = new KafkaEnqueuer(topics, i, waits);
        }
        // the deliveries start once every route runs, and stop as the context begins to stop, before the routes
        context.addStartupListener(deliveries);
        context.getManagementStrategy().addEventNotifier(deliveries.stopFirst());
    }

    @Override
    protected void doStart() throws Exception {
        topics.start();
    }

    @Override
    protected void doStop() throws Exception {
        deliveries.stopDeliveries();
        topics.stop();
    }

    /** Writes the chunk to its analyzer's topic, as ingest does, and returns once Kafka has it on every in-sync replica. */
    @Override
    public void keep(int analyzer, Chunk chunk) throws java.io.IOException {
        CompletableFuture<Void> kept = new CompletableFuture<>();
        topics.send(analyzer, chunk, (metadata, failure) -> {
            if (failure == null) {
                kept.complete(null);
            } else {
                kept.completeExceptionally(failure);
            }
        });
        try {
            kept.get(KEEP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while Kafka took chunk " + chunk.chunkId());
        } catch (ExecutionException | TimeoutException e) {
            throw new java.io.IOException("Kafka did not take chunk " + chunk.chunkId() + ": " + e, e);
        }
    }

    @Override
    public AsyncProcessor intake(int analyzer) {
        return intakes[analyzer];
    }

    @Override
    public String intakeId(int analyzer) {
        return "produce-" + names.get(analyzer);
    }

    /** Each chunk was produced by its intake already: the 202 waits for nothing more. */
    @Override
    public AsyncProcessor keeper() {
        return AsyncProcessorConverterHelper.convert(exchange -> { });
    }

    @Override
    public List<RoutesBuilder> routes() {
        return List.of();
    }

    /** Whether Kafka takes a packet is known only when it answers the send: its 202 waits for that. */
    @Override
    public boolean hasRoom() {
        return true;
    }

    @Override
    public List<String> problems() {
        return topics.answers() ? List.of() : List.of("Kafka has not answered for a few seconds");
    }

    @Override
    public long queued(int analyzer) {
        return Math.max(0, topics.lag(analyzer));
    }

    @Override
    public long spooled(int analyzer) {
        return 0;
    }

    @Override
    public Map<String, Object> details(int analyzer) {
        // the same chunks as queued: those in its topic its consumer group has not committed
        return Map.of("lag", queued(analyzer));
    }

    @Override
    public void bindMetrics(MeterRegistry registry, List<String> analyzers) {
        for (int i = 0; i < analyzers.size(); i++) {
            int a = i;
            Gauge.builder("logdist_kafka_lag_chunks", () -> queued(a)).tag("analyzer", analyzers.get(i))
                    .description("chunks in the analyzer's topic not yet committed by its consumer group").register(registry);
            // summed over every replica, these are the global split the weights ask for (docs/replicas.md)
            FunctionCounter.builder("logdist_kafka_written_messages", topics, t -> t.written(a))
                    .tag("analyzer", analyzers.get(i))
                    .description("messages this replica's balancer assigned to the analyzer and Kafka took").register(registry);
        }
    }
}
