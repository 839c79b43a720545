package dev.logdist.api;

import dev.logdist.balancer.MessageLedger;
import dev.logdist.buffer.Buffer;
import dev.logdist.delivery.AnalyzerHealth;
import dev.logdist.delivery.DeliveryStats;
import dev.logdist.delivery.RejectedParking;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import org.apache.camel.Exchange;

/**
 * The distributor's Prometheus metrics ({@code GET /metrics}): per analyzer what was delivered, failed, refused,
 * parked, queued and spooled, its breaker state, its target and actual share of messages (since start,
 * and over the last minute); the buffer's own series; JVM memory,
 * GC, threads and CPU. The ingest answers (HTTP layer) and the delivery latency (delivery) are counted into the same
 * registry by their own stages.
 */
public final class Metrics {

    private final PrometheusMeterRegistry registry;

    public Metrics(PrometheusMeterRegistry registry, List<String> names, DeliveryStats stats, AnalyzerHealth health,
                   Buffer buffer, MessageLedger ledger, RejectedParking parking) {
        this.registry = registry;
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        for (int i = 0; i < names.size(); i++) {
            int a = i;
            String n = names.get(i);
            FunctionCounter.builder("logdist_delivered_messages", stats, s -> s.of(a).messages()).tag("analyzer", n)
                    .description("log messages an analyzer took").register(registry);
            FunctionCounter.builder("logdist_delivered_packets", stats, s -> s.of(a).packets()).tag("analyzer", n)
                    .description("packets (chunks) an analyzer took").register(registry);
            FunctionCounter.builder("logdist_delivery_failures", stats, s -> s.of(a).failures()).tag("analyzer", n)
                    .description("deliveries that failed (then retried, re-routed or spooled)").register(registry);
            FunctionCounter.builder("logdist_rejected_chunks", stats, s -> s.of(a).rejected()).tag("analyzer", n)
                    .description("chunks an analyzer refused on their own (400, 422, 413 for one chunk), parked under rejected/").register(registry);
            Gauge.builder("logdist_parked_chunks", () -> parking.count(n)).tag("analyzer", n)
                    .description("chunks parked under rejected/, waiting for a redrive").register(registry);
            FunctionCounter.builder("logdist_lost_chunks", stats, s -> s.of(a).lost()).tag("analyzer", n)
                    .description("chunks neither delivered nor spooled (should stay 0)").register(registry);
            Gauge.builder("logdist_queued_chunks", () -> buffer.queued(a)).tag("analyzer", n)
                    .description("chunks waiting for their analyzer: in memory, or in Kafka").register(registry);
            Gauge.builder("logdist_spooled_chunks", () -> buffer.spooled(a)).tag("analyzer", n)
                    .description("chunks waiting in the spool on disk").register(registry);
            Gauge.builder("logdist_breaker_state", () -> health.state(a).ordinal()).tag("analyzer", n)
                    .description("0 UP, 1 DOWN, 2 RECOVERING").register(registry);
            Gauge.builder("logdist_target_share", () -> ledger.table().share(a)).tag("analyzer", n)
                    .description("share of messages the weights ask for").register(registry);
            Gauge.builder("logdist_actual_share", () -> {
                long total = stats.totalMessages();
                return total == 0 ? 0 : (double) stats.of(a).messages() / total;
            }).tag("analyzer", n).description("share of delivered messages since start").register(registry);
            Gauge.builder("logdist_recent_share", () -> stats.recent().share(a)).tag("analyzer", n)
                    .description("share of the messages delivered over the last minute").register(registry);
        }
        buffer.bindMetrics(registry, names);
    }

    /** {@code GET /metrics}: the Prometheus text format. */
    public void scrape(Exchange exchange) {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        exchange.getMessage().setBody(registry.scrape());
    }
}
