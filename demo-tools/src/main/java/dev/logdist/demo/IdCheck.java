package dev.logdist.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Loss judged by ids, not by counts: the packets the agents got a 202 for (their {@code agentId}, {@code packetId} and
 * message count, from the JMeter results file, whose {@code agentId}, {@code packetId} and {@code msgs} columns come
 * from the plan's sample variables) against the analyzers' journals ({@code packets.journal}: one whole line per
 * distinct packet or chunk an analyzer counted, {@code <messages> [<agentId>] <packetId or packetId#k>}; a torn last
 * line is no id). A packet answered 202 that is in no journal is lost, whatever the totals say; an id in more than one
 * journal was delivered twice.
 */
final class IdCheck {

    /**
     * The connection-level failures of a request JMeter reports instead of a status: nothing was acknowledged. The last
     * three never got a connection at all: a container's address gone while it is down (no route, the connect timing
     * out) or its name not known to the network's DNS until it is started again.
     */
    private static final Pattern CONNECTION_LEVEL = Pattern.compile(
            "ConnectException|HttpHostConnectException|NoHttpResponseException|SocketException|ConnectionClosedException"
                    + "|NoRouteToHostException|ConnectTimeoutException|UnknownHostException");

    /** A packet the agents got a 202 for. */
    record Sent(String agentId, String packetId, int messages) {

        @Override
        public String toString() {
            return agentId + " " + packetId + " (" + messages + " msgs)";
        }
    }

    /** A request that failed at the connection level: its start and its end, in ms since the epoch. */
    record Failed(long start, long end) {
    }

    /** What the results file says: the packets answered 202, in order, and the requests that failed at the connection level. */
    record Results(List<Sent> accepted, List<Failed> connectionFailures) {
    }

    /** One line of a journal. */
    record Entry(String agentId, String id, int messages) {

        /** The packet's id: a chunk {@code <packetId>#<k>} belongs to packet {@code <packetId>}. */
        String packetId() {
            int hash = id.lastIndexOf('#');
            return hash < 0 ? id : id.substring(0, hash);
        }

        boolean chunk() {
            return id.indexOf('#') >= 0;
        }
    }

    /**
     * The outcome: {@code lost} the packets answered 202 that are in no journal (all of them, in the results' order),
     * {@code duplicates} the extra copies of ids found in more than one journal (an id in two journals is one),
     * {@code unacknowledged} the packets in a journal that no 202 was seen for (delivered, but their answer never
     * reached the agent: cut off by a crash), {@code journaled} the distinct ids in all journals.
     */
    record Verdict(long acceptedPackets, long acceptedMessages, List<Sent> lost, long duplicates, long unacknowledged,
                   long journaled) {
    }

    private IdCheck() {
    }

    /** Reads the results file: the rows answered 202 and the connection-level failures; a row cut short is skipped. */
    static Results results(Path csv) throws IOException {
        Map<String, Sent> accepted = new LinkedHashMap<>();
        List<Failed> failed = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String head = in.readLine();
            if (head == null) {
                throw new IOException(csv + " is empty");
            }
            List<String> header = JmeterResults.fields(head);
            int time = column(header, "timeStamp");
            int took = column(header, "elapsed");
            int code = column(header, "responseCode");
            int msgs = column(header, "msgs");
            int agent = column(header, "agentId");
            int packet = column(header, "packetId");
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                List<String> row = JmeterResults.fields(line);
                if (row.size() < header.size()) {
                    continue; // a line cut short when JMeter was stopped
                }
                String status = row.get(code);
                if (status.equals("202")) {
                    Sent s = new Sent(row.get(agent), row.get(packet), Integer.parseInt(row.get(msgs)));
                    accepted.putIfAbsent(key(s.agentId(), s.packetId()), s);
                } else if (connectionLevel(status)) {
                    long start = Long.parseLong(row.get(time));
                    failed.add(new Failed(start, start + Long.parseLong(row.get(took))));
                }
            }
        }
        return new Results(new ArrayList<>(accepted.values()), failed);
    }

    /** True for a JMeter response code that is no HTTP status but a connection that failed, was refused or was cut. */
    static boolean connectionLevel(String responseCode) {
        return !responseCode.matches("\\d{3}") && CONNECTION_LEVEL.matcher(responseCode).find();
    }

    /** The whole lines of a journal file; a torn last line (no newline yet) is no id. */
    static List<Entry> journal(Path file) throws IOException {
        List<Entry> entries = new ArrayList<>();
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        if (end < 0) {
            return entries;
        }
        for (String line : text.substring(0, end).split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length < 2 || f.length > 3 || !f[0].matches("\\d+")) {
                continue;
            }
            entries.add(new Entry(f.length == 3 ? f[1] : null, f[f.length - 1], Integer.parseInt(f[0])));
        }
        return entries;
    }

    /** Judges the packets answered 202 against the analyzers' journals. */
    static Verdict judge(List<Sent> accepted, List<List<Entry>> journals) {
        // per id (packet or chunk): in how many journals, and its entry; per packet: the messages of its distinct ids
        Map<String, Integer> journalsOf = new HashMap<>();
        Map<String, Long> messagesOf = new HashMap<>();
        Map<String, Boolean> wholeOf = new HashMap<>();
        for (List<Entry> journal : journals) {
            Map<String, Boolean> here = new HashMap<>();
            for (Entry e : journal) {
                String id = key(e.agentId(), e.id());
                if (here.put(id, Boolean.TRUE) != null) {
                    continue; // the same id twice in one journal is not a second delivery to another analyzer
                }
                if (journalsOf.merge(id, 1, Integer::sum) == 1) {
                    String packet = key(e.agentId(), e.packetId());
                    messagesOf.merge(packet, (long) e.messages(), Long::sum);
                    if (!e.chunk()) {
                        wholeOf.put(packet, Boolean.TRUE);
                    }
                }
            }
        }
        long duplicates = 0;
        for (int n : journalsOf.values()) {
            duplicates += n - 1;
        }
        List<Sent> lost = new ArrayList<>();
        long messages = 0;
        long claimed = 0;
        for (Sent s : accepted) {
            messages += s.messages();
            String packet = key(s.agentId(), s.packetId());
            String anonymous = key(null, s.packetId()); // a journal line without an agent id
            boolean whole = wholeOf.containsKey(packet) || wholeOf.containsKey(anonymous);
            long chunked = messagesOf.getOrDefault(packet, 0L) + messagesOf.getOrDefault(anonymous, 0L);
            if (!whole && chunked < s.messages()) {
                lost.add(s); // in no journal, or only some of its chunks
            }
            claimed += (messagesOf.containsKey(packet) ? 1 : 0)
                    + (!anonymous.equals(packet) && messagesOf.containsKey(anonymous) ? 1 : 0);
        }
        long unacknowledged = messagesOf.size() - claimed;
        return new Verdict(accepted.size(), messages, lost, duplicates, unacknowledged, journalsOf.size());
    }

    private static String key(String agentId, String id) {
        return (agentId == null ? "" : agentId) + ' ' + id;
    }

    private static int column(List<String> header, String name) throws IOException {
        int i = header.indexOf(name);
        if (i < 0) {
            throw new IOException("the results file has no column " + name
                    + " (run JMeter with -q jmeter/load.properties, which records msgs, agentId and packetId)");
        }
        return i;
    }
}
