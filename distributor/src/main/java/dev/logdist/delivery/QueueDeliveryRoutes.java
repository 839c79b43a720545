package dev.logdist.delivery;

import dev.logdist.config.AnalyzerSpec;
import dev.logdist.config.DistributorConfig;
import java.util.List;
import org.apache.camel.LoggingLevel;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;

/**
 * Delivers each analyzer's memory queue: a {@code deliver-<name>} route per analyzer gathers what waits into one batch
 * and sends it ({@code send-<name>}). Who owns a failure: the dead-letter channel, once the retries are spent; it
 * hands the batch to {@code spool-undelivered} ({@link Undelivered}): another analyzer (failover) or the spool.
 */
public class QueueDeliveryRoutes extends RouteBuilder {

    private final List<AnalyzerSpec> analyzers;
    private final DistributorConfig.Delivery settings;
    private final AnalyzerQueues queues;
    private final Processor delivered;
    private final Undelivered undelivered;

    /** {@code delivered}: what ends a delivery the analyzer answered (counting, parking, the buffer's commit). */
    public QueueDeliveryRoutes(List<AnalyzerSpec> analyzers, DistributorConfig.Delivery settings, AnalyzerQueues queues,
                               Processor delivered, Undelivered undelivered) {
        this.analyzers = List.copyOf(analyzers);
        this.settings = settings;
        this.queues = queues;
        this.delivered = delivered;
        this.undelivered = undelivered;
    }

    @Override
    public void configure() {
        // the chunks of a failed delivery travel in the BATCH property, so no useOriginalMessage
        errorHandler(deadLetterChannel("direct:undelivered")
                .maximumRedeliveries(settings.retries())
                .redeliveryDelay(settings.retryDelayMs())
                .retryAttemptedLogLevel(LoggingLevel.DEBUG)
                .retriesExhaustedLogLevel(LoggingLevel.DEBUG));
        // while a breaker is open, retrying is pointless: straight to the dead-letter channel
        onException(io.github.resilience4j.circuitbreaker.CallNotPermittedException.class)
                .maximumRedeliveries(0).handled(true).to("direct:undelivered");

        for (int i = 0; i < analyzers.size(); i++) {
            String name = analyzers.get(i).name();
            from(queues.uri(i)).routeId("deliver-" + name)
                    .process(queues.batcher(i)).id("batch-" + name)
                    .setProperty(AnalyzerRequests.ANALYZER, constant(i))
                    .to(SendRoutes.uri(name)).id("send-chunk-" + name)
                    .process(delivered).id("count-" + name);
        }

        from("direct:undelivered").routeId("spool-undelivered")
                .errorHandler(noErrorHandler())
                .process(undelivered::handle);
    }
}
