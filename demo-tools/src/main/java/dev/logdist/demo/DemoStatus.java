package dev.logdist.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The demo's eyes. {@code watch DIST_URL OUT_CSV}: one status line per second from {@code GET /analyzers}, also
 * appended to a CSV for the chart. {@code drain}: waits until every packet answered 202 is in an analyzer's journal.
 * {@code report}: the final table and the contract's last line; loss judged by ids (every packet the agents got a 202
 * for must be in an analyzer's journal, see {@link IdCheck}), or by counts when the journals cannot be read.
 */
public final class DemoStatus {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private DemoStatus() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 3 && args[0].equals("watch")) {
            watch(args[1], Path.of(args[2]));
        } else if (args.length >= 3 && args[0].equals("drain")) {
            System.exit(drain(args));
        } else if (args.length >= 4 && args[0].equals("report")) {
            System.exit(report(args));
        } else {
            System.err.println("usage: DemoStatus watch DIST_URL OUT_CSV | drain RESULTS_CSV SECONDS JOURNAL... | report "
                    + "[--results RESULTS_CSV] [--journal FILE]... [--crash KILL_MS UP_MS] DIST_URL LOAD_JSON ANALYZER_URL...");
            System.exit(2);
        }
    }

    static JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    private static void watch(String dist, Path csv) throws Exception {
        long start = System.nanoTime();
        long lastTotal = -1;
        Files.writeString(csv, "t,name,targetShare,actualShare,messages,state,spooled,msgsPerSecond\n");
        while (true) {
            Thread.sleep(1000 - (System.nanoTime() - start) / 1_000_000 % 1000);
            long t = (System.nanoTime() - start) / 1_000_000_000L;
            JsonNode view;
            try {
                view = get(dist + "/analyzers");
            } catch (IOException e) {
                System.out.printf("t=%4ds  distributor not answering (%s)%n", t,
                        e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                lastTotal = -1; // a distributor started again counts from 0
                continue;
            }
            if (!view.isArray()) { // an error answer while it starts again
                System.out.printf("t=%4ds  distributor not ready%n", t);
                lastTotal = -1;
                continue;
            }
            long total = 0;
            long spooled = 0;
            for (JsonNode a : view) {
                total += a.get("messagesDelivered").asLong();
                spooled += a.get("spooled").asLong();
            }
            long rate = lastTotal < 0 || total < lastTotal ? 0 : total - lastTotal;
            lastTotal = total;
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "t=%4ds  delivered msgs/s=%7d ", t, rate));
            StringBuilder rows = new StringBuilder();
            for (JsonNode a : view) {
                line.append(String.format(Locale.ROOT, " %s %5.1f%% %-10s", a.get("name").asText(),
                        100 * a.get("actualShare").asDouble(), a.get("state").asText()));
                rows.append(String.format(Locale.ROOT, "%d,%s,%.4f,%.4f,%d,%s,%d,%d%n", t, a.get("name").asText(),
                        a.get("targetShare").asDouble(), a.get("actualShare").asDouble(), a.get("messagesDelivered").asLong(),
                        a.get("state").asText(), a.get("spooled").asLong(), rate));
            }
            System.out.println(line.append(" spooled=").append(spooled));
            Files.writeString(csv, rows, StandardOpenOption.APPEND);
        }
    }

    /**
     * {@code drain RESULTS_CSV SECONDS JOURNAL...}: waits up to SECONDS (0: looks once) until every packet answered 202
     * is in one of the journals; 0 when it is, 1 when some are still missing.
     */
    private static int drain(String[] args) throws Exception {
        List<IdCheck.Sent> accepted = IdCheck.results(Path.of(args[1])).accepted();
        long deadline = System.nanoTime() + Long.parseLong(args[2]) * 1_000_000_000L;
        long start = System.nanoTime();
        while (true) {
            List<List<IdCheck.Entry>> journals = new ArrayList<>();
            for (int i = 3; i < args.length; i++) {
                Path file = Path.of(args[i]);
                journals.add(Files.exists(file) ? IdCheck.journal(file) : List.of());
            }
            IdCheck.Verdict v = IdCheck.judge(accepted, journals);
            if (v.lost().isEmpty()) {
                System.out.printf(Locale.ROOT, "every one of the %d packets answered 202 is in an analyzer's journal (%.1f s)%n",
                        v.acceptedPackets(), (System.nanoTime() - start) / 1e9);
                return 0;
            }
            if (System.nanoTime() >= deadline) {
                System.out.printf(Locale.ROOT, "%d of the %d packets answered 202 are in no analyzer's journal after %.0f s%n",
                        v.lost().size(), v.acceptedPackets(), (System.nanoTime() - start) / 1e9);
                return 1;
            }
            Thread.sleep(500);
        }
    }

    /**
     * {@code report [--results RESULTS_CSV] [--journal FILE]... [--crash KILL_MS UP_MS] DIST_URL LOAD_JSON ANALYZER_URL...}.
     * With the results file and the journals loss is judged by ids, else by counts (and the report says so).
     * {@code --crash}: the distributor was killed at KILL_MS and healthy again at UP_MS (ms since the epoch); requests
     * that failed at the connection level in that window were never acknowledged and do not fail the demo.
     */
    private static int report(String[] all) throws Exception {
        Path results = null;
        List<Path> journalFiles = new ArrayList<>();
        long[] crash = null;
        int at = 1;
        while (at < all.length && all[at].startsWith("--")) {
            switch (all[at]) {
                case "--results" -> results = Path.of(all[++at]);
                case "--journal" -> journalFiles.add(Path.of(all[++at]));
                case "--crash" -> crash = new long[] {Long.parseLong(all[++at]), Long.parseLong(all[++at])};
                default -> throw new IllegalArgumentException("unknown report option " + all[at]);
            }
            at++;
        }
        String[] args = new String[all.length - at + 1];
        args[0] = "report";
        System.arraycopy(all, at, args, 1, all.length - at);

        JsonNode view = get(args[1] + "/analyzers");
        JsonNode load = JSON.readTree(Path.of(args[2]).toFile());
        long accepted = load.get("messagesAccepted").asLong();
        int n = view.size();
        long[] messages = new long[n];
        long[] dups = new long[n];
        long counted = 0;
        long analyzerDuplicates = 0;
        long packets = 0;
        for (int i = 0; i < n; i++) {
            JsonNode stats = get(args[3 + i].replaceFirst("/logs$", "") + "/stats");
            messages[i] = stats.get("messages").asLong();
            dups[i] = stats.get("duplicatePackets").asLong();
            counted += messages[i];
            analyzerDuplicates += dups[i];
            packets += stats.get("packets").asLong();
        }
        System.out.println();
        System.out.println("analyzer  weight  target  actual    messages  duplicate packets   (counted by each analyzer)");
        for (int i = 0; i < n; i++) {
            JsonNode a = view.get(i);
            System.out.printf(Locale.ROOT, "%-8s  %6.3f  %5.1f%%  %5.1f%%  %10d  %10d%n", a.get("name").asText(),
                    a.get("weight").asDouble(), 100 * a.get("targetShare").asDouble(),
                    counted == 0 ? 0.0 : 100.0 * messages[i] / counted, messages[i], dups[i]);
        }
        System.out.printf(Locale.ROOT, "%naccepted messages %d, counted by analyzers %d, duplicate packets %d of %d%n",
                accepted, counted, analyzerDuplicates, packets);

        // loss by ids: every packet answered 202 must be in an analyzer's journal
        IdCheck.Results sent = null;
        IdCheck.Verdict verdict = null;
        String noIds = null;
        if (results == null || journalFiles.isEmpty()) {
            noIds = "no " + (results == null ? "JMeter results file" : "journals") + " given";
        } else {
            try {
                sent = IdCheck.results(results);
                List<List<IdCheck.Entry>> journals = new ArrayList<>();
                for (Path f : journalFiles) {
                    journals.add(IdCheck.journal(f));
                }
                verdict = IdCheck.judge(sent.accepted(), journals);
            } catch (IOException | RuntimeException e) {
                noIds = "journals or results not readable: " + e.getClass().getSimpleName() + " " + e.getMessage();
                sent = null;
            }
        }
        long lost;
        long duplicates;
        if (verdict != null) {
            lost = verdict.lost().size();
            duplicates = verdict.duplicates() + analyzerDuplicates;
            System.out.printf(Locale.ROOT, "judged by ids: %d packets answered 202 (%d messages), %d ids in %d analyzer journals: "
                            + "lost %d, in more than one journal %d, repeats dropped by the analyzers %d%n",
                    verdict.acceptedPackets(), verdict.acceptedMessages(), verdict.journaled(), journalFiles.size(), lost,
                    verdict.duplicates(), analyzerDuplicates);
            if (lost > 0) {
                System.out.printf(Locale.ROOT, "lost: %d packets answered 202 are in no analyzer's journal%s:%n", lost,
                        lost > 10 ? " (the first 10)" : "");
                verdict.lost().stream().limit(10).forEach(s -> System.out.println("  " + s));
            }
            if (verdict.unacknowledged() > 0) {
                System.out.printf(Locale.ROOT, "%d packets are in a journal but were never answered 202 to the agents "
                        + "(delivered, their answer cut off): not a loss%n", verdict.unacknowledged());
            }
        } else {
            lost = Math.max(0, accepted - counted);
            duplicates = analyzerDuplicates;
            System.out.printf(Locale.ROOT, "loss judged by counts, not ids (%s): accepted %d, counted %d, lost %d%n",
                    noIds, accepted, counted, lost);
            if (counted > accepted) {
                // analyzers drop a repeat they see themselves; a packet that reached two analyzers is counted by both
                System.out.printf(Locale.ROOT, "%d messages counted more than accepted: packets delivered twice (to two "
                        + "analyzers) or whose 202 never reached the agent%n", counted - accepted);
            }
        }
        System.out.printf(Locale.ROOT, "JMeter agents: %d requests, %.0f msgs/s accepted, p50 %d ms, p99 %d ms, answers %s%n",
                load.get("requests").asLong(), load.get("messagesPerSecond").asDouble(), load.get("p50Ms").asLong(),
                load.get("p99Ms").asLong(), load.get("statuses"));

        boolean answersOk = true;
        for (var status = load.get("statuses").fieldNames(); status.hasNext(); ) {
            String code = status.next();
            answersOk &= code.equals("202") || code.equals("503") || (crash != null && code.equals("connection error"));
        }
        if (!answersOk) {
            System.out.println("answers other than 202 and 503" + (crash != null ? " (and connection failures in the crash)" : "")
                    + " (see demo-out/jmeter-results.csv): the demo fails on them");
        }
        if (crash != null) {
            long down = 0;
            long outside = 0;
            if (sent != null) {
                for (IdCheck.Failed f : sent.connectionFailures()) {
                    // in flight when it was killed, or sent while it was down (a second of slack each side)
                    if (f.end() >= crash[0] - 1000 && f.start() <= crash[1] + 1000) {
                        down++;
                    } else {
                        outside++;
                    }
                }
            } else {
                down = load.get("statuses").path("connection error").asLong();
            }
            System.out.printf(Locale.ROOT, "%d requests failed while the distributor was down, never acknowledged "
                    + "(killed with kill -9, healthy again %.1f s later)%n", down, (crash[1] - crash[0]) / 1000.0);
            if (outside > 0) {
                System.out.printf(Locale.ROOT, "%d requests failed at the connection level while the distributor was up: "
                        + "the demo fails on them%n", outside);
                answersOk = false;
            }
        }
        boolean pass = lost == 0 && accepted > 0 && answersOk && (verdict != null || counted >= accepted);
        System.out.printf(Locale.ROOT, "demo: %s messages=%d lost=%d duplicates=%d throughput=%.0f msgs/s%n",
                pass ? "PASS" : "FAIL", accepted, lost, duplicates, load.get("messagesPerSecond").asDouble());
        return pass ? 0 : 1;
    }
}
