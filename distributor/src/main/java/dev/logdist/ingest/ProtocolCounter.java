package dev.logdist.ingest;

import dev.logdist.balancer.ProtocolShares;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Messages taken by the protocol they came in as ({@code logdist_ingest_messages_total{protocol="native|lines|otlp|
 * bulk"}}), counted once their packet is kept; a packet acknowledged again (a re-send) is not counted again.
 */
public final class ProtocolCounter {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public ProtocolCounter(MeterRegistry registry) {
        this.registry = registry;
        for (String protocol : ProtocolShares.PROTOCOLS) {
            taken(protocol, 0); // each known protocol shows from the start, at 0
        }
    }

    /** {@code messages} of {@code protocol} were taken. */
    public void taken(String protocol, int messages) {
        String name = protocol == null ? "unknown" : protocol;
        counters.computeIfAbsent(name, p -> Counter.builder("logdist_ingest_messages")
                .description("log messages taken, by the protocol they came in as").tag("protocol", p)
                .register(registry)).increment(messages);
    }
}
