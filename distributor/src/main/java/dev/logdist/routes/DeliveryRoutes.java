package dev.logdist.routes;

import dev.logdist.balancer.MessageWeightedLoadBalancer;
import dev.logdist.config.AnalyzerSpec;
import dev.logdist.config.DistributorConfig;
import dev.logdist.delivery.AnalyzerHealth;
import dev.logdist.delivery.DeliveryOutcomes;
import dev.logdist.delivery.QueueBudget;
import dev.logdist.kafka.KafkaBuffer;
import dev.logdist.model.Chunk;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.component.seda.SedaEndpoint;
import org.apache.camel.model.LoadBalanceDefinition;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;

/**
 * Balances chunks over the analyzers by message count and delivers each analyzer's chunks from its own bounded
 * SEDA queue over pooled HTTP, through the analyzer's circuit breaker. Who owns a failure: the breaker only counts
 * it and short-circuits while open (no fallback); the dead-letter channel owns every failure once the retries are
 * spent and hands the chunk to {@link DeliveryOutcomes#undelivered}: another analyzer (failover) or the spool. A timer
 * per analyzer replays its spool, oldest first, whenever its breaker lets traffic through.
 */
public class DeliveryRoutes extends RouteBuilder {

    @Override
    public void configure() {
        DistributorConfig config = lookup("distributorConfig", DistributorConfig.class);
        MessageWeightedLoadBalancer balancer = lookup("messageWeightedLoadBalancer", MessageWeightedLoadBalancer.class);
        AnalyzerHealth health = lookup("analyzerHealth", AnalyzerHealth.class);
        DeliveryOutcomes outcomes = lookup("deliveryOutcomes", DeliveryOutcomes.class);
        QueueBudget budget = lookup("queueBudget", QueueBudget.class);
        outcomes.setTemplate(getContext().createProducerTemplate());
        List<AnalyzerSpec> analyzers = config.analyzers();

        // the chunks of a failed delivery travel in the BATCH property, so no useOriginalMessage
        errorHandler(deadLetterChannel("direct:undelivered")
                .maximumRedeliveries(config.delivery().retries())
                .redeliveryDelay(config.delivery().retryDelayMs())
                .retryAttemptedLogLevel(LoggingLevel.DEBUG)
                .retriesExhaustedLogLevel(LoggingLevel.DEBUG));
        // while a breaker is open, retrying is pointless: straight to the dead-letter channel
        onException(io.github.resilience4j.circuitbreaker.CallNotPermittedException.class)
                .maximumRedeliveries(0).handled(true).to("direct:undelivered");

        // a chunk that cannot be queued fails the ingest exchange, which answers 503: not ours to spool
        LoadBalanceDefinition balance = from("direct:balance-chunk").routeId("balance-chunks")
                .errorHandler(noErrorHandler())
                .loadBalance(balancer).id("loadBalance");
        // where an enqueue that has to wait for room, or spool, goes on from the event loop: as many threads as Vert.x's
        // worker pool, which ran every ingest exchange before they moved to the event loops, and like it an unbounded
        // queue; never Camel's default caller-runs, which would make the event loop itself wait
        ExecutorService waits = getContext().getExecutorServiceManager().newThreadPool(this, "ingest-wait",
                new ThreadPoolProfileBuilder("ingest-wait").poolSize(20).maxPoolSize(20).maxQueueSize(-1)
                        .rejectedPolicy(ThreadPoolRejectedPolicy.Abort).build());
        KafkaBuffer kafka = getContext().getRegistry().lookupByNameAndType("kafkaBuffer", KafkaBuffer.class);
        for (int i = 0; i < analyzers.size(); i++) {
            if (kafka != null) {
                balance.process(new KafkaEnqueuer(kafka, i, waits)).id("produce-" + analyzers.get(i).name());
                continue;
            }
            SedaEndpoint queue = getContext().getEndpoint(queueUri(analyzers.get(i)), SedaEndpoint.class);
            balance.process(new ChunkEnqueuer(queue, config.delivery().offerTimeoutMs(), budget, outcomes, i, waits))
                    .id("enqueue-" + analyzers.get(i).name());
        }
        balance.end();

        for (int i = 0; i < analyzers.size(); i++) {
            AnalyzerSpec analyzer = analyzers.get(i);
            int index = i;
            if (kafka == null) { // under Kafka, KafkaDelivery takes the chunks from the analyzer's topic to send-<name>
                ChunkBatcher batcher = new ChunkBatcher(getContext().getEndpoint(queueUri(analyzer), SedaEndpoint.class),
                        budget, index, config.delivery().maxBatch(), config.delivery().maxBatchBytes(),
                        config.delivery().lingerMs());
                from(queueUri(analyzer)).routeId("deliver-" + analyzer.name())
                        .process(batcher).id("batch-" + analyzer.name())
                        .setProperty(DeliveryOutcomes.ANALYZER, constant(index))
                        .to("direct:send-" + analyzer.name()).id("send-chunk-" + analyzer.name())
                        .process(outcomes::completed).id("count-" + analyzer.name());
            }

            // failures return to the caller: the delivery route's dead-letter channel, or the replay loop
            from("direct:send-" + analyzer.name()).routeId("send-" + analyzer.name())
                    .errorHandler(noErrorHandler())
                    .process(DeliveryOutcomes::toRequest)
                    .circuitBreaker().id("circuitBreaker-" + analyzer.name())
                        .resilience4jConfiguration()
                            .circuitBreaker(health.breakerName(index))
                            .throwExceptionWhenHalfOpenOrOpenState(true)
                        .end()
                        .to(analyzer.url() + "?httpMethod=POST&throwExceptionOnFailure=false").id("to-" + analyzer.name())
                        .process(DeliveryOutcomes::judge)
                    .end();

            from("timer:replay-" + analyzer.name() + "?delay=1000&period={{distributor.replay.interval-ms}}")
                    .routeId("replay-" + analyzer.name())
                    .errorHandler(noErrorHandler())
                    .process(e -> outcomes.replay(index, config.outage().replayBatch()));
        }

        from("direct:undelivered").routeId("spool-undelivered")
                .errorHandler(noErrorHandler())
                .process(outcomes::undelivered);
    }

    private <T> T lookup(String name, Class<T> type) {
        T bean = getContext().getRegistry().lookupByNameAndType(name, type);
        if (bean == null) {
            throw new IllegalStateException("bean '" + name + "' is missing from the registry");
        }
        return bean;
    }

    /** How many chunks wait in the analyzer's queue (0 before the queue exists). */
    public static int queued(org.apache.camel.CamelContext context, AnalyzerSpec analyzer) {
        String uri = context.resolvePropertyPlaceholders(queueUri(analyzer));
        return context.hasEndpoint(uri) instanceof SedaEndpoint seda ? seda.getCurrentQueueSize() : 0;
    }

    /** The same URI serves producer and consumer, so both see one queue. */
    public static String queueUri(AnalyzerSpec analyzer) {
        return "seda:analyzer-" + analyzer.name()
                + "?size={{distributor.queue-size}}"
                + "&concurrentConsumers={{distributor.consumers-per-analyzer}}"
                + "&blockWhenFull=true&offerTimeout={{distributor.offer-timeout-ms}}"
                + "&waitForTaskToComplete=Never";
    }
}
