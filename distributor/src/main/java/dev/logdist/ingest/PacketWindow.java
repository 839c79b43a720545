package dev.logdist.ingest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The packets taken within the last {@code windowSeconds} (at most {@code maxIds} of them), by agent and packet id:
 * a packet re-sent with the same ids is acknowledged again but not delivered twice, while two agents that number
 * their packets alike never collide. A packet's ids are claimed when it is checked, before any of it is kept, so a
 * re-send that overlaps its original (the agent timed out and retried) is told to retry rather than slipping past.
 */
public final class PacketWindow {

    /** What the window says of a packet about to be taken. */
    public enum Claim {
        /** Not seen: claimed now for this request, which must end in {@link #accepted} or {@link #release}. */
        NEW,
        /** Taken within the window: acknowledge again, deliver nothing. */
        ACCEPTED,
        /** Being taken by another request right now: not known yet whether it will be kept, so retry. */
        IN_FLIGHT
    }

    private static final long IN_FLIGHT = Long.MIN_VALUE;

    private final long windowNanos;
    private final Map<String, Long> seen;

    public PacketWindow(long windowSeconds, int maxIds) {
        this.windowNanos = windowSeconds * 1_000_000_000L;
        this.seen = new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > maxIds;
            }
        };
    }

    /** Claims the packet {@code packetId} of agent {@code agentId}; an agent that sent no packet id is always NEW. */
    public Claim claim(String agentId, String packetId) {
        if (packetId == null || windowNanos == 0) {
            return Claim.NEW;
        }
        String key = key(agentId, packetId);
        long now = System.nanoTime();
        synchronized (seen) {
            Long at = seen.get(key);
            if (at != null && at == IN_FLIGHT) {
                return Claim.IN_FLIGHT;
            }
            if (at != null && now - at < windowNanos) {
                return Claim.ACCEPTED;
            }
            seen.remove(key);
            seen.put(key, IN_FLIGHT);
            return Claim.NEW;
        }
    }

    /** The claimed packet was kept: its ids are remembered from now on; ids older than the window leave. */
    public void accepted(String agentId, String packetId) {
        if (packetId == null || windowNanos == 0) {
            return;
        }
        long now = System.nanoTime();
        synchronized (seen) {
            String key = key(agentId, packetId);
            seen.remove(key);
            seen.put(key, now);
            var oldest = seen.entrySet().iterator();
            while (oldest.hasNext()) {
                long at = oldest.next().getValue();
                if (at == IN_FLIGHT || now - at < windowNanos) {
                    break;
                }
                oldest.remove();
            }
        }
    }

    /** The claimed packet was refused: forget the claim, so the agent's re-send is taken afresh. */
    public void release(String agentId, String packetId) {
        if (packetId == null || windowNanos == 0) {
            return;
        }
        synchronized (seen) {
            seen.remove(key(agentId, packetId), IN_FLIGHT);
        }
    }

    private static String key(String agentId, String packetId) {
        return agentId + '\n' + packetId; // neither may contain a newline
    }
}
