package dev.logdist.delivery;

import dev.logdist.model.Chunk;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * After a request its analyzer answered without failing: the chunks it took are counted as delivered, the chunks it
 * refused on their own ({@link BatchVerdicts}) are parked under {@code rejected/} (retrying them would fail forever,
 * dropping them would lose them); each chunk of the batch once, either way.
 */
public final class Completions {

    private final List<String> names;
    private final DeliveryStats stats;
    private final RejectedParking rejected;
    private final DeliveryLatency latency;

    public Completions(List<String> names, DeliveryStats stats, RejectedParking rejected, DeliveryLatency latency) {
        this.names = List.copyOf(names);
        this.stats = stats;
        this.rejected = rejected;
        this.latency = latency;
    }

    /** Counts the deliveries of the exchange's batch, or parks its refused chunks; throws when one cannot be parked. */
    public void completed(Exchange exchange) throws IOException {
        int analyzer = exchange.getProperty(AnalyzerRequests.ANALYZER, Integer.class);
        Map<Chunk, BatchVerdicts.Refusal> refused = BatchVerdicts.refusals(exchange);
        Long start = exchange.getProperty(AnalyzerRequests.SEND_START, Long.class);
        if (start != null) {
            latency.record(analyzer, System.nanoTime() - start);
        }
        for (Chunk chunk : AnalyzerRequests.batchOf(exchange)) {
            BatchVerdicts.Refusal refusal = refused.get(chunk);
            if (refusal != null) {
                rejected.park(names.get(analyzer), chunk, refusal.status(), refusal.answer());
                stats.rejected(analyzer);
            } else {
                stats.delivered(analyzer, chunk.messages());
            }
        }
    }
}
