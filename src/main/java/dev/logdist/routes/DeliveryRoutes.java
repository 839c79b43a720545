package dev.logdist.routes;

import dev.logdist.balancer.MessageWeightedLoadBalancer;
import dev.logdist.config.AnalyzerSpec;
import dev.logdist.config.DistributorConfig;
import dev.logdist.delivery.DeadLetterParking;
import dev.logdist.delivery.DeliveryStats;
import dev.logdist.model.Chunk;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.LoadBalanceDefinition;

/**
 * Balances chunks over the analyzers by message count and delivers each analyzer's chunks from its own bounded
 * SEDA queue over pooled HTTP. A delivery that fails is retried; one that runs out of retries is owned by the
 * dead-letter channel, which parks it on disk and counts it.
 */
public class DeliveryRoutes extends RouteBuilder {

    /** Exchange property: index of the analyzer a chunk was given to. */
    public static final String ANALYZER = "logdist.analyzer";

    @Override
    public void configure() {
        DistributorConfig config = lookup("distributorConfig", DistributorConfig.class);
        MessageWeightedLoadBalancer balancer = lookup("messageWeightedLoadBalancer", MessageWeightedLoadBalancer.class);
        DeliveryStats stats = lookup("deliveryStats", DeliveryStats.class);
        DeadLetterParking parking = lookup("deadLetterParking", DeadLetterParking.class);
        List<AnalyzerSpec> analyzers = config.analyzers();

        errorHandler(deadLetterChannel("direct:park-undelivered")
                .useOriginalMessage()
                .maximumRedeliveries(config.delivery().retries())
                .redeliveryDelay(config.delivery().retryDelayMs())
                .onRedelivery(e -> stats.failedAttempt(e.getProperty(ANALYZER, Integer.class)))
                .retryAttemptedLogLevel(LoggingLevel.WARN));

        // a chunk that cannot be queued fails the ingest exchange, which answers 503: not ours to park
        LoadBalanceDefinition balance = from("direct:balance-chunk").routeId("balance-chunks")
                .errorHandler(noErrorHandler())
                .process(e -> e.setProperty(MessageWeightedLoadBalancer.MESSAGE_COUNT, e.getMessage().getBody(Chunk.class).messages()))
                .loadBalance(balancer).id("loadBalance");
        for (AnalyzerSpec analyzer : analyzers) {
            balance.to(queueUri(analyzer)).id("enqueue-" + analyzer.name());
        }
        balance.end();

        for (int i = 0; i < analyzers.size(); i++) {
            AnalyzerSpec analyzer = analyzers.get(i);
            int index = i;
            from(queueUri(analyzer)).routeId("deliver-" + analyzer.name())
                    .setProperty(ANALYZER, constant(index))
                    .process(DeliveryRoutes::toRequest)
                    .to(analyzer.url() + "?httpMethod=POST").id("to-" + analyzer.name())
                    .process(e -> stats.delivered(index, e.getProperty(MessageWeightedLoadBalancer.MESSAGE_COUNT, Integer.class)));
        }

        from("direct:park-undelivered").routeId("park-undelivered")
                .errorHandler(noErrorHandler())
                .process(e -> {
                    int index = e.getProperty(ANALYZER, Integer.class);
                    Exception cause = e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
                    stats.failedAttempt(index);
                    parking.park(analyzers.get(index).name(), e.getMessage().getBody(Chunk.class), String.valueOf(cause));
                    stats.parked(index);
                });
    }

    private <T> T lookup(String name, Class<T> type) {
        T bean = getContext().getRegistry().lookupByNameAndType(name, type);
        if (bean == null) {
            throw new IllegalStateException("bean '" + name + "' is missing from the registry");
        }
        return bean;
    }

    /** The same URI serves producer and consumer, so both see one queue. */
    static String queueUri(AnalyzerSpec analyzer) {
        return "seda:analyzer-" + analyzer.name()
                + "?size={{distributor.queue-size}}"
                + "&concurrentConsumers={{distributor.consumers-per-analyzer}}"
                + "&blockWhenFull=true&offerTimeout={{distributor.offer-timeout-ms}}"
                + "&waitForTaskToComplete=Never";
    }

    /** The analyzer gets the chunk's JSON and no header of the agent's request. */
    private static void toRequest(Exchange exchange) {
        Chunk chunk = exchange.getMessage().getBody(Chunk.class);
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(chunk.json());
    }
}
