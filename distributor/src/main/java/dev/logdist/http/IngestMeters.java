package dev.logdist.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** What {@code POST /logs} answered: requests by status, messages accepted, and the time to answer. */
public final class IngestMeters {

    private final MeterRegistry registry;
    private final Map<Integer, Counter> requestsByStatus = new ConcurrentHashMap<>();
    private final Counter acceptedMessages;
    private final Timer latency;

    public IngestMeters(MeterRegistry registry) {
        this.registry = registry;
        this.acceptedMessages = Counter.builder("logdist_ingest_accepted_messages").description("log messages accepted")
                .register(registry);
        this.latency = Timer.builder("logdist_ingest_duration").description("time to answer POST /logs")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(registry);
    }

    /** Counts an answer; {@code startNanos} is when ingest began on it, or null when it never did. */
    public void answered(int status, int acceptedMessageCount, Long startNanos) {
        requestsByStatus.computeIfAbsent(status, s -> Counter.builder("logdist_ingest_requests")
                .description("POST /logs requests by answer status").tag("status", String.valueOf(s)).register(registry))
                .increment();
        if (acceptedMessageCount > 0) {
            acceptedMessages.increment(acceptedMessageCount);
        }
        if (startNanos != null) {
            latency.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        }
    }
}
