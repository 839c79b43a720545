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
import java.util.Locale;

/**
 * The demo's eyes. {@code watch DIST_URL OUT_CSV}: one status line per second from {@code GET /analyzers}, also
 * appended to a CSV for the chart. {@code report DIST_URL LOAD_JSON ANALYZER_URL...}: the final table and the
 * contract's last line, comparing what the agents got accepted with what the analyzers counted.
 */
public final class DemoStatus {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private DemoStatus() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 3 && args[0].equals("watch")) {
            watch(args[1], Path.of(args[2]));
        } else if (args.length >= 4 && args[0].equals("report")) {
            System.exit(report(args));
        } else {
            System.err.println("usage: DemoStatus watch DIST_URL OUT_CSV | report DIST_URL LOAD_JSON ANALYZER_URL...");
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
                System.out.printf("t=%4ds  distributor not answering (%s)%n", t, e.getMessage());
                continue;
            }
            long total = 0;
            long spooled = 0;
            for (JsonNode a : view) {
                total += a.get("messagesDelivered").asLong();
                spooled += a.get("spooled").asLong();
            }
            long rate = lastTotal < 0 ? 0 : total - lastTotal;
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

    private static int report(String[] args) throws Exception {
        JsonNode view = get(args[1] + "/analyzers");
        JsonNode load = JSON.readTree(Path.of(args[2]).toFile());
        long accepted = load.get("messagesAccepted").asLong();
        int n = view.size();
        long[] messages = new long[n];
        long[] dups = new long[n];
        long counted = 0;
        long duplicates = 0;
        long packets = 0;
        for (int i = 0; i < n; i++) {
            JsonNode stats = get(args[3 + i].replaceFirst("/logs$", "") + "/stats");
            messages[i] = stats.get("messages").asLong();
            dups[i] = stats.get("duplicatePackets").asLong();
            counted += messages[i];
            duplicates += dups[i];
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
        long lost = Math.max(0, accepted - counted);
        System.out.printf(Locale.ROOT, "%naccepted messages %d, counted by analyzers %d, lost %d, duplicate packets %d of %d%n",
                accepted, counted, lost, duplicates, packets);
        if (counted > accepted) {
            // analyzers drop a repeat they see themselves; a packet that reached two analyzers is counted by both
            System.out.printf(Locale.ROOT, "%d messages counted twice, by two analyzers: packets re-sent after an answer "
                    + "was lost (a replica killed, or nginx trying the other replica) and balanced again%n", counted - accepted);
        }
        System.out.printf(Locale.ROOT, "JMeter agents: %d requests, %.0f msgs/s accepted, p50 %d ms, p99 %d ms, answers %s%n",
                load.get("requests").asLong(), load.get("messagesPerSecond").asDouble(), load.get("p50Ms").asLong(),
                load.get("p99Ms").asLong(), load.get("statuses"));
        boolean onlyAcceptedOrBusy = true;
        for (var status = load.get("statuses").fieldNames(); status.hasNext(); ) {
            String code = status.next();
            onlyAcceptedOrBusy &= code.equals("202") || code.equals("503");
        }
        if (!onlyAcceptedOrBusy) {
            System.out.println("answers other than 202 and 503 (see demo-out/jmeter-results.csv): the demo fails on them");
        }
        boolean pass = lost == 0 && counted >= accepted && accepted > 0 && onlyAcceptedOrBusy;
        System.out.printf(Locale.ROOT, "demo: %s messages=%d lost=%d duplicates=%d throughput=%.0f msgs/s%n",
                pass ? "PASS" : "FAIL", accepted, lost, duplicates, load.get("messagesPerSecond").asDouble());
        return pass ? 0 : 1;
    }
}
