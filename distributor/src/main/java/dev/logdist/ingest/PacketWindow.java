package dev.logdist.ingest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The packet ids accepted within the last {@code windowSeconds} (at most {@code maxIds} of them): a packet re-sent
 * with one of them is acknowledged again but not delivered twice.
 */
public final class PacketWindow {

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

    /** Whether {@code packetId} was accepted within the window. */
    public boolean contains(String packetId) {
        if (packetId == null || windowNanos == 0) {
            return false;
        }
        synchronized (seen) {
            Long at = seen.get(packetId);
            return at != null && System.nanoTime() - at < windowNanos;
        }
    }

    /** Remembers an accepted packet id; ids older than the window leave from the oldest end. */
    public void remember(String packetId) {
        if (packetId == null || windowNanos == 0) {
            return;
        }
        long now = System.nanoTime();
        synchronized (seen) {
            seen.remove(packetId);
            seen.put(packetId, now);
            var oldest = seen.entrySet().iterator();
            while (oldest.hasNext() && now - oldest.next().getValue() >= windowNanos) {
                oldest.remove();
            }
        }
    }
}
