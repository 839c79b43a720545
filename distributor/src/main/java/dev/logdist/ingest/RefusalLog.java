package dev.logdist.ingest;

import dev.logdist.validation.Violation;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs what agents send that is refused, so that an operator sees a misconfigured agent without reading the agent's
 * own logs: at most one line per agent every {@value #INTERVAL_SECONDS} s, naming the protocol, the status and the
 * first violation, and how many refusals of that agent went unlogged since its last line. Every protocol's 4xx, and
 * the messages a per-message answer refuses, come through here.
 */
public final class RefusalLog {

    static final long INTERVAL_SECONDS = 10;
    /** Past this many agents in one interval (a client naming a new agent in each request), they share one line. */
    static final int MAX_AGENTS = 10_000;
    static final String OTHER_AGENTS = "(other agents)";
    static final int MAX_AGENT_CHARS = 128;

    private static final Logger LOG = LoggerFactory.getLogger(RefusalLog.class);
    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(INTERVAL_SECONDS);

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;

    public RefusalLog() {
        this(System::nanoTime);
    }

    RefusalLog(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /**
     * Agent {@code agent} (its id, or its peer address when it named none) was refused over {@code protocol}:
     * {@code status} 4xx, or 202 for messages refused while the rest was taken; {@code first} is the first violation,
     * null when there is none. True when this refusal was logged, false when it was only counted.
     */
    public boolean refused(String agent, String protocol, int status, String error, Violation first) {
        // an agent's name is the client's word: at most an id's length of it is kept and logged
        String who = agent == null || agent.isEmpty() ? "(unknown)"
                : agent.length() > MAX_AGENT_CHARS ? agent.substring(0, MAX_AGENT_CHARS) + "..." : agent;
        long now = nanoClock.getAsLong();
        if (windows.size() >= MAX_AGENTS && !windows.containsKey(who)) {
            windows.values().removeIf(w -> w.expired(now));
            if (windows.size() >= MAX_AGENTS) {
                who = OTHER_AGENTS;
            }
        }
        int unlogged = windows.computeIfAbsent(who, k -> new Window()).pass(now);
        if (unlogged < 0) {
            return false;
        }
        LOG.warn("refused {} from {} over {}: {} {}{}{}", status == 202 ? "messages" : "a request", who, protocol, status,
                error, first == null ? "" : "; first violation: " + first.path() + " " + first.problem(),
                unlogged == 0 ? "" : " (" + unlogged + " more refusals of it since its last line, not logged)");
        return true;
    }

    /** One agent's interval: when its next line may be logged and how many refusals were counted meanwhile. */
    private static final class Window {
        private long nextAt = Long.MIN_VALUE;
        private boolean started;
        private int suppressed;

        /** How many went unlogged before this one, when this one is to be logged; else -1 (counted). */
        synchronized int pass(long now) {
            if (started && now - nextAt < 0) {
                suppressed++;
                return -1;
            }
            started = true;
            nextAt = now + INTERVAL_NANOS;
            int unlogged = suppressed;
            suppressed = 0;
            return unlogged;
        }

        synchronized boolean expired(long now) {
            return started && now - nextAt >= 0 && suppressed == 0;
        }
    }
}
