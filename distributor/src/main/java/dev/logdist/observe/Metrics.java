package dev.logdist.observe;

import dev.logdist.balancer.MessageLedger;
import dev.logdist.delivery.AnalyzerHealth;
import dev.logdist.delivery.DeliveryStats;
import dev.logdist.spool.Spools;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntToLongFunction;
import org.apache.camel.Exchange;

/**
 * The distributor's Prometheus metrics: ingest requests by status and their latency, and per analyzer what was
 * delivered, failed, refused, queued and spooled, its breaker state and its target and actual share of messages.
 */
public final class Metrics {

    /** Exchange property: when ingest started on this request, in nanoseconds. */
    public static final String INGEST_START = "logdist.ingestStart";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<Integer, Counter> requestsByStatus = new ConcurrentHashMap<>();
    private final Counter acceptedMessages;
    private final Timer ingestLatency;
    private final Timer[] deliveryLatency;

    public Metrics(List<String> names, DeliveryStats stats, AnalyzerHealth health, Spools spools, MessageLedger ledger,
                   IntToLongFunction queued) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        acceptedMessages = Counter.builder("logdist_ingest_accepted_messages").description("log messages accepted")
                .register(registry);
        ingestLatency = latency("logdist_ingest_duration", "time to answer POST /logs").register(registry);
        deliveryLatency = new Timer[names.size()];
        for (int i = 0; i < names.size(); i++) {
            int a = i;
            String n = names.get(i);
            deliveryLatency[i] = latency("logdist_delivery_duration", "time an analyzer took to answer a delivery")
                    .tag("analyzer", n).register(registry);
            FunctionCounter.builder("logdist_delivered_messages", stats, s -> s.of(a).messages()).tag("analyzer", n)
                    .description("log messages an analyzer took").register(registry);
            FunctionCounter.builder("logdist_delivered_packets", stats, s -> s.of(a).packets()).tag("analyzer", n)
                    .description("packets (chunks) an analyzer took").register(registry);
            FunctionCounter.builder("logdist_delivery_failures", stats, s -> s.of(a).failures()).tag("analyzer", n)
                    .description("deliveries that failed (then retried, re-routed or spooled)").register(registry);
            FunctionCounter.builder("logdist_rejected_chunks", stats, s -> s.of(a).rejected()).tag("analyzer", n)
                    .description("chunks an analyzer refused with a 4xx, parked under rejected/").register(registry);
            FunctionCounter.builder("logdist_lost_chunks", stats, s -> s.of(a).lost()).tag("analyzer", n)
                    .description("chunks neither delivered nor spooled (should stay 0)").register(registry);
            Gauge.builder("logdist_queued_chunks", () -> queued.applyAsLong(a)).tag("analyzer", n)
                    .description("chunks waiting for their analyzer: in memory, or in Kafka").register(registry);
            Gauge.builder("logdist_spooled_chunks", () -> spools.of(a).pendingRecords()).tag("analyzer", n)
                    .description("chunks waiting in the spool on disk").register(registry);
            Gauge.builder("logdist_breaker_state", () -> health.state(a).ordinal()).tag("analyzer", n)
                    .description("0 UP, 1 DOWN, 2 RECOVERING").register(registry);
            Gauge.builder("logdist_target_share", () -> ledger.table().share(a)).tag("analyzer", n)
                    .description("share of messages the weights ask for").register(registry);
            Gauge.builder("logdist_actual_share", () -> {
                long total = stats.totalMessages();
                return total == 0 ? 0 : (double) stats.of(a).messages() / total;
            }).tag("analyzer", n).description("share of delivered messages").register(registry);
        }
    }

    /** {@code DISTRIBUTOR_BUFFER=kafka}: per analyzer, the chunks in its topic its consumer group has not committed. */
    public void kafkaLag(List<String> names, IntToLongFunction lag) {
        for (int i = 0; i < names.size(); i++) {
            int a = i;
            Gauge.builder("logdist_kafka_lag_chunks", () -> lag.applyAsLong(a)).tag("analyzer", names.get(i))
                    .description("chunks in the analyzer's topic not yet committed by its consumer group").register(registry);
        }
    }

    private static Timer.Builder latency(String name, String description) {
        return Timer.builder(name).description(description).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30));
    }

    /** Counts an answer of {@code POST /logs} and, when ingest had started on it, its latency. */
    public void answered(Exchange exchange, int status, int acceptedMessageCount) {
        requestsByStatus.computeIfAbsent(status, s -> Counter.builder("logdist_ingest_requests")
                .description("POST /logs requests by answer status").tag("status", String.valueOf(s)).register(registry))
                .increment();
        if (acceptedMessageCount > 0) {
            acceptedMessages.increment(acceptedMessageCount);
        }
        Long start = exchange.getProperty(INGEST_START, Long.class);
        if (start != null) {
            ingestLatency.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    public void delivered(int analyzer, long nanos) {
        deliveryLatency[analyzer].record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** {@code GET /metrics}: the Prometheus text format. */
    public void scrape(Exchange exchange) {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        exchange.getMessage().setBody(registry.scrape());
    }
}
