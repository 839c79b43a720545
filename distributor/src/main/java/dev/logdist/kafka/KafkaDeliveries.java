package dev.logdist.kafka;

import dev.logdist.config.DistributorConfig;
import dev.logdist.delivery.AnalyzerHealth;
import dev.logdist.delivery.Completions;
import dev.logdist.delivery.DeliveryStats;
import dev.logdist.delivery.OutagePolicy;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * One {@link KafkaDelivery} thread per analyzer, started once every route runs (they send through the
 * {@code direct:send-<name>} routes) and stopped as the context starts stopping, before those routes and the producer.
 */
final class KafkaDeliveries implements StartupListener {

    private final CamelContext context;
    private final KafkaTopics buffer;
    private final DistributorConfig config;
    private final Completions completions;
    private final DeliveryStats stats;
    private final AnalyzerHealth health;
    private final OutagePolicy policy;
    private final List<KafkaDelivery> deliveries = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    KafkaDeliveries(CamelContext context, KafkaTopics buffer, DistributorConfig config, Completions completions,
                    DeliveryStats stats, AnalyzerHealth health, OutagePolicy policy) {
        this.context = context;
        this.buffer = buffer;
        this.config = config;
        this.completions = completions;
        this.stats = stats;
        this.health = health;
        this.policy = policy;
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
            KafkaDelivery delivery = new KafkaDelivery(buffer, i, name, context.createProducerTemplate(), completions,
                    stats, health, policy, config.delivery().maxBatch(), config.delivery().lingerMs(),
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
}
