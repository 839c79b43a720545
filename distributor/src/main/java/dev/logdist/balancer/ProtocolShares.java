package dev.logdist.balancer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Messages balanced to each analyzer, by the protocol they came in as, counted where the balancer picks a chunk's
 * analyzer: one property read and one add per chunk. A chunk whose packet is then answered 503 (not kept) was
 * balanced and stays counted; one moved later to another analyzer (failover) stays counted for the first.
 */
public final class ProtocolShares {

    /** Exchange property of an ingest exchange: its protocol ({@code native}, {@code lines}, {@code otlp}, {@code bulk}). */
    public static final String PROPERTY = "logdist.protocol";
    /** The protocols counted by name; any other counts as {@code other}. */
    public static final List<String> PROTOCOLS = List.of("native", "lines", "otlp", "bulk");

    private final LongAdder[][] counts;

    public ProtocolShares(int analyzers) {
        counts = new LongAdder[analyzers][PROTOCOLS.size() + 1];
        for (LongAdder[] row : counts) {
            for (int p = 0; p < row.length; p++) {
                row[p] = new LongAdder();
            }
        }
    }

    /** {@code messages} of {@code protocol} went to analyzer {@code analyzer}. */
    public void balanced(int analyzer, String protocol, int messages) {
        counts[analyzer][indexOf(protocol)].add(messages);
    }

    /** Analyzer {@code analyzer}'s messages by protocol, every known protocol listed (0 when none came), then other. */
    public Map<String, Long> of(int analyzer) {
        Map<String, Long> byProtocol = new LinkedHashMap<>();
        for (int p = 0; p < PROTOCOLS.size(); p++) {
            byProtocol.put(PROTOCOLS.get(p), counts[analyzer][p].sum());
        }
        long other = counts[analyzer][PROTOCOLS.size()].sum();
        if (other > 0) {
            byProtocol.put("other", other);
        }
        return byProtocol;
    }

    private static int indexOf(String protocol) {
        if (protocol != null) {
            for (int p = 0; p < PROTOCOLS.size(); p++) {
                if (PROTOCOLS.get(p).equals(protocol)) {
                    return p;
                }
            }
        }
        return PROTOCOLS.size();
    }
}
