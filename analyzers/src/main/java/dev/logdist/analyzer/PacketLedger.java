package dev.logdist.analyzer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Counts distinct packets and their messages by {@code agentId} and {@code packetId} (see
 * {@link PacketScanner.Seen#key()}); a packet seen again counts as a duplicate and adds nothing else. A request's new
 * packets reach the {@link Sink} (the journal) before anything of the request counts, and nothing counts when that
 * write fails. Ids are remembered in a bounded window of the most recent {@code capacity} packets.
 */
final class PacketLedger {

    /** Where new packets are written before they count: the journal, or nowhere. */
    interface Sink {

        Sink NONE = new Sink() {
            @Override
            public void append(List<PacketScanner.Seen> fresh) {
            }

            @Override
            public void clear() {
            }
        };

        /** Writes {@code fresh} durably enough to be counted; returns only when it has. */
        void append(List<PacketScanner.Seen> fresh) throws IOException;

        /** Forgets every packet written so far. */
        void clear() throws IOException;
    }

    /** The counts at one moment, taken together so that they agree with one another. */
    record Counts(long messages, long packets, long duplicates) {
    }

    private final Map<String, Boolean> seen;
    private Sink sink = Sink.NONE;
    private long messages;
    private long packets;
    private long duplicates;

    PacketLedger(int capacity) {
        this.seen = new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** From now on new packets are written to {@code next} before they count. */
    synchronized void writeTo(Sink next) {
        sink = next;
    }

    /**
     * Records one request's packets all or nothing: the new ones (not in the window, and first of their key in the
     * request) go to the sink, and only once it took them are they counted and their repeats counted as duplicates.
     * A packet without an id cannot be deduplicated and always counts. Returns how many were new.
     */
    synchronized int record(List<PacketScanner.Seen> request) throws IOException {
        List<PacketScanner.Seen> fresh = new ArrayList<>(request.size());
        Set<String> inRequest = new HashSet<>();
        for (PacketScanner.Seen p : request) {
            String key = p.key();
            if (key == null || (!seen.containsKey(key) && inRequest.add(key))) {
                fresh.add(p);
            }
        }
        if (!fresh.isEmpty()) {
            sink.append(fresh);
        }
        for (PacketScanner.Seen p : fresh) {
            count(p.key(), p.messages());
        }
        duplicates += request.size() - fresh.size();
        return fresh.size();
    }

    /**
     * Counts a packet read back from the journal at start: every line was counted when it was written (a repeat
     * there is a packet that had left the window), so every line counts again.
     */
    synchronized void replay(String key, int messageCount) {
        count(key, messageCount);
    }

    private void count(String key, int messageCount) {
        if (key != null) {
            seen.put(key, Boolean.TRUE);
        }
        packets++;
        messages += messageCount;
    }

    synchronized Counts counts() {
        return new Counts(messages, packets, duplicates);
    }

    /** Forgets every packet and count, in the sink too, so that the counts still agree with the journal. */
    synchronized void reset() throws IOException {
        sink.clear();
        seen.clear();
        messages = 0;
        packets = 0;
        duplicates = 0;
    }
}
