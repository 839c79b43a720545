package dev.logdist.kafka;

import dev.logdist.balancer.MessageLedger;
import dev.logdist.config.DistributorConfig;
import dev.logdist.delivery.AnalyzerHealth;
import dev.logdist.delivery.DeliveryOutcomes;
import dev.logdist.delivery.DeliveryStats;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.support.service.ServiceSupport;

/**
 * One {@link KafkaDelivery} thread per analyzer, started once every route runs (they send through the
 * {@code direct:send-<name>} routes) and stopped as the context starts stopping, before those routes and the producer.
 */
public final class KafkaDeliveries extends ServiceSupport implements StartupListener {

    private final CamelContext context;
    private final KafkaBuffer buffer;
    private final DistributorConfig config;
    private final DeliveryOutcomes outcomes;
    private final DeliveryStats stats;
    private final AnalyzerHealth health;
    private final MessageLedger ledger;
    private final List<KafkaDelivery> deliveries = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    public KafkaDeliveries(CamelContext context, KafkaBuffer buffer, DistributorConfig config, DeliveryOutcomes outcomes,
                           DeliveryStats stats, AnalyzerHealth health, MessageLedger ledger) {
        this.context = context;
        this.buffer = buffer;
        this.config = config;
        this.outcomes = outcomes;
        this.stats = stats;
        this.health = health;
        this.ledger = ledger;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // not yet: the routes start after this
    }

    @Override
    public synchronized void onCamelContextFullyStarted(CamelContext camel, boolean alreadyStarted) {
        if (!threads.isEmpty()) {
            return;
        }
        for (int i = 0; i < config.analyzers().size(); i++) {
            String name = config.analyzers().get(i).name();
            KafkaDelivery delivery = new KafkaDelivery(buffer, i, name, context.createProducerTemplate(), outcomes, stats,
                    health, ledger, config.outagePolicy(), config.delivery().maxBatch(), config.delivery().lingerMs(),
                    config.delivery().retryDelayMs());
            Thread thread = new Thread(delivery, "kafka-deliver-" + name);
            deliveries.add(delivery);
            threads.add(thread);
            thread.start();
        }
    }

    /**
     * Stops every delivery thread, each after the batch it is sending: called as the context starts stopping, before
     * the {@code send-<name>} routes they send through stop (Camel stops routes before services).
     */
    public synchronized void stopDeliveries() throws InterruptedException {
        deliveries.forEach(KafkaDelivery::stop);
        for (Thread t : threads) {
            t.join(15_000);
        }
        deliveries.clear();
        threads.clear();
    }

    /** An event notifier that calls {@link #stopDeliveries()} when the context begins to stop. */
    public EventNotifierSupport stopFirst() {
        return new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) throws Exception {
                if (event instanceof CamelEvent.CamelContextStoppingEvent) {
                    stopDeliveries();
                }
            }
        };
    }

    @Override
    protected void doStop() throws InterruptedException {
        stopDeliveries();
    }
}
