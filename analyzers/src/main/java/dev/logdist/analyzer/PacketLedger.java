package dev.logdist.analyzer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts distinct packets and their messages by {@code packetId}; a packet seen again counts as a duplicate and
 * adds nothing else. Ids are remembered in a bounded window of the most recent {@code capacity} packets.
 */
final class PacketLedger {

    private final LongAdder messages = new LongAdder();
    private final LongAdder packets = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final Map<String, Boolean> seen;

    PacketLedger(int capacity) {
        this.seen = new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Records one packet; a null id cannot be deduplicated and always counts. Returns false for a duplicate. */
    boolean record(String packetId, int messageCount) {
        if (packetId != null) {
            synchronized (seen) {
                if (seen.putIfAbsent(packetId, Boolean.TRUE) != null) {
                    duplicates.increment();
                    return false;
                }
            }
        }
        packets.increment();
        messages.add(messageCount);
        return true;
    }

    long messages() {
        return messages.sum();
    }

    long packets() {
        return packets.sum();
    }

    long duplicates() {
        return duplicates.sum();
    }

    void reset() {
        synchronized (seen) {
            seen.clear();
            messages.reset();
            packets.reset();
            duplicates.reset();
        }
    }
}
