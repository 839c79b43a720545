package dev.logdist.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the analyzers' journals, the ground truth of the loss tests: one line per distinct packet or chunk an analyzer
 * counted, {@code <messages> [<agentId>] <packetId or packetId#k>}; only whole lines (a torn last line is no id).
 */
final class AnalyzerJournals {

    /** One counted packet or chunk. */
    record Entry(String agentId, String id, int messages) {

        /** The packet's id: a chunk {@code <packetId>#<k>} belongs to packet {@code <packetId>}. */
        String packetId() {
            int hash = id.lastIndexOf('#');
            return hash < 0 ? id : id.substring(0, hash);
        }
    }

    private AnalyzerJournals() {
    }

    /**
     * How many journals hold each packet, by {@code "<agentId> <packetId>"}, over the analyzers whose data directories
     * are {@code <data>/analyzer-<name>}: a packet answered 202 and missing here is lost; one counted above 1 is a
     * duplicate.
     */
    static java.util.Map<String, Integer> copiesByPacket(Path data, String... names) throws IOException {
        java.util.Map<String, Integer> seen = new java.util.HashMap<>();
        for (String name : names) {
            for (Entry e : read(data.resolve("analyzer-" + name))) {
                seen.merge(e.agentId() + " " + e.packetId(), 1, Integer::sum);
            }
        }
        return seen;
    }

    /** The entries of the journal in an analyzer's data directory (none when it has no journal yet). */
    static List<Entry> read(Path analyzerDataDir) throws IOException {
        Path file = analyzerDataDir.resolve("packets.journal");
        List<Entry> entries = new ArrayList<>();
        if (!Files.exists(file)) {
            return entries;
        }
        String text = Files.readString(file);
        int end = text.lastIndexOf('\n');
        if (end < 0) {
            return entries;
        }
        for (String line : text.substring(0, end).split("\n")) {
            String[] fields = line.split(" ");
            if (fields.length < 2) {
                continue;
            }
            String agent = fields.length >= 3 ? fields[1] : null;
            entries.add(new Entry(agent, fields[fields.length - 1], Integer.parseInt(fields[0])));
        }
        return entries;
    }
}
