package dev.logdist.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a JMeter CSV results file of {@code jmeter/logs-load.jmx} into the demo's load summary: packets and messages
 * accepted (answered 202; the message count comes from the plan's {@code msgs} sample variable), accepted messages per
 * second, p50/p99 latency of every answer and the answers by status ({@code connection error} for a request that
 * failed at the connection level, {@code non-HTTP <exception>} for any other answer that is no HTTP status). The ids
 * of the accepted packets are read by {@link IdCheck}. Usage: {@code JmeterResults RESULTS.csv OUT.json}.
 */
public final class JmeterResults {

    private JmeterResults() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: JmeterResults RESULTS.csv OUT.json");
            System.exit(2);
        }
        String summary = summarize(Path.of(args[0]));
        System.out.println(summary);
        Files.writeString(Path.of(args[1]), summary + "\n");
    }

    static String summarize(Path csv) throws IOException {
        long packets = 0;
        long messages = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        long[] elapsed = new long[1 << 16];
        int samples = 0;
        Map<String, Long> statuses = new TreeMap<>();
        try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            List<String> header = fields(in.readLine());
            int time = column(header, "timeStamp");
            int took = column(header, "elapsed");
            int code = column(header, "responseCode");
            int msgs = column(header, "msgs");
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                List<String> row = fields(line);
                if (row.size() < header.size()) {
                    continue; // a line cut short when JMeter was stopped
                }
                long start = Long.parseLong(row.get(time));
                long ms = Long.parseLong(row.get(took));
                first = Math.min(first, start);
                last = Math.max(last, start + ms);
                if (samples == elapsed.length) {
                    elapsed = Arrays.copyOf(elapsed, samples * 2);
                }
                elapsed[samples++] = ms;
                String status = status(row.get(code));
                statuses.merge(status, 1L, Long::sum);
                if (status.equals("202")) {
                    packets++;
                    messages += Long.parseLong(row.get(msgs));
                }
            }
        }
        double seconds = samples == 0 ? 0 : Math.max(1, last - first) / 1000.0;
        Arrays.sort(elapsed, 0, samples);
        StringBuilder codes = new StringBuilder();
        statuses.forEach((k, v) -> codes.append(codes.length() == 0 ? "" : ",").append('"').append(k).append("\":").append(v));
        return String.format(Locale.ROOT,
                "{\"seconds\":%.1f,\"packetsAccepted\":%d,\"messagesAccepted\":%d,\"messagesPerSecond\":%.0f,"
                        + "\"p50Ms\":%d,\"p99Ms\":%d,\"requests\":%d,\"statuses\":{%s}}",
                seconds, packets, messages, seconds == 0 ? 0 : messages / seconds, percentile(elapsed, samples, 0.50),
                percentile(elapsed, samples, 0.99), samples, codes);
    }

    /**
     * The bucket of an answer: its HTTP status; {@code connection error} when the connection was refused, reset or cut
     * before an answer (nothing acknowledged); else {@code non-HTTP <exception>}, such as a response timeout.
     */
    static String status(String responseCode) {
        if (responseCode.matches("\\d{3}")) {
            return responseCode;
        }
        if (IdCheck.connectionLevel(responseCode)) {
            return "connection error";
        }
        String name = responseCode.replaceFirst("^Non HTTP response code: ", "").trim();
        return "non-HTTP " + name.substring(name.lastIndexOf('.') + 1);
    }

    private static int column(List<String> header, String name) throws IOException {
        int i = header.indexOf(name);
        if (i < 0) {
            throw new IOException("the results file has no column " + name + " (run JMeter with -q jmeter/load.properties)");
        }
        return i;
    }

    private static long percentile(long[] sorted, int n, double q) {
        return n == 0 ? 0 : sorted[Math.min(n - 1, (int) (q * n))];
    }

    /** Splits one CSV line as JMeter writes it: fields that hold a comma or a quote are quoted, quotes doubled. */
    static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                field.append('"');
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                out.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        out.add(field.toString());
        return out;
    }
}
