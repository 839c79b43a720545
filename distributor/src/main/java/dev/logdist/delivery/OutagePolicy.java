package dev.logdist.delivery;

import dev.logdist.config.DistributorConfig;
import dev.logdist.model.Chunk;

/**
 * What happens to the chunks of an analyzer that cannot take them, the one decision both buffers follow: under
 * {@code hold} they wait for it (its share stays exact, its analysis is late); under {@code failover} they go to an
 * analyzer that is up, picked by the balancer so that the others keep their proportions.
 */
public final class OutagePolicy {

    /** Picks another analyzer for {@code messages} that analyzer {@code failed} could not take; -1 when none is up. */
    @FunctionalInterface
    public interface Reassign {
        int assign(int messages, int failed);
    }

    private final DistributorConfig.OutagePolicy kind;
    private final AnalyzerHealth health;
    private final Reassign reassign;

    public OutagePolicy(DistributorConfig.OutagePolicy kind, AnalyzerHealth health, Reassign reassign) {
        this.kind = kind;
        this.health = health;
        this.reassign = reassign;
    }

    /** The analyzer to take {@code chunk} instead of {@code analyzer}, or -1 to keep it for {@code analyzer}. */
    public int redirect(int analyzer, Chunk chunk) {
        if (kind != DistributorConfig.OutagePolicy.FAILOVER) {
            return -1;
        }
        int other = reassign.assign(chunk.messages(), analyzer);
        return other >= 0 && other != analyzer && health.available(other) ? other : -1;
    }

    /** Whether a DOWN analyzer's backlog waits for it (hold) rather than being sent elsewhere (failover). */
    public boolean waitsWhileDown() {
        return kind == DistributorConfig.OutagePolicy.HOLD;
    }

    /**
     * Whether a chunk its analyzer's memory queue has no room for is kept on disk (hold), or refused so that the
     * agent gets a 503 and sends it again, to be balanced afresh (failover).
     */
    public boolean keepsOverflow() {
        return kind == DistributorConfig.OutagePolicy.HOLD;
    }
}
