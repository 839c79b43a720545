package dev.logdist.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A real syslog-ng posting JSON lines ({@code http()}, 100 lines a batch) to a real distributor with three real
 * analyzers behind it: every line sent, a quarter of them at levels emerg, alert, crit, err or warning (one such line
 * used to cost its whole batch), is counted exactly once, by message weight, and by protocol in {@code /analyzers}
 * and {@code /metrics}.
 */
class SyslogNgIT {

    private static final int LINES = 3000;
    private static final String[] SEVERITIES = {"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"};
    private static final String[] NAMES = {"a1", "a2", "a3"};
    private static final double[] WEIGHTS = {0.5, 0.3, 0.2};

    private final Http http = new Http();

    @Test
    void should_deliver_every_line_syslog_ng_posts_by_weight() throws Exception {
        Assumptions.assumeTrue(SyslogNg.installed(),
                "needs Debian's syslog-ng-core and syslog-ng-mod-http (apt-get install -y ...; .ci/run does)");
        Path data = Files.createTempDirectory("syslog-ng-it");
        try (Processes processes = new Processes()) {
            StringBuilder analyzers = new StringBuilder();
            int[] ports = new int[NAMES.length];
            for (int i = 0; i < NAMES.length; i++) {
                ports[i] = Processes.freePort();
                processes.analyzer(NAMES[i], ports[i], data.resolve("analyzer-" + NAMES[i]));
                analyzers.append(i == 0 ? "" : ",").append(NAMES[i]).append('@').append(WEIGHTS[i])
                        .append("=http://127.0.0.1:").append(ports[i]).append("/logs");
            }
            int port = Processes.freePort();
            Map<String, String> env = new HashMap<>();
            env.put("DISTRIBUTOR_ANALYZERS", analyzers.toString());
            env.put("DISTRIBUTOR_DATA_DIR", data.resolve("distributor").toString());
            processes.distributor("syslog-ng", port, env);
            Path syslogDir = Files.createDirectories(data.resolve("syslog-ng"));
            try (SyslogNg syslog = SyslogNg.start(syslogDir, Processes.freePort(), "http://127.0.0.1:" + port + "/logs",
                    "syslog-ng-1")) {
                send(syslog.port);
                await("all " + LINES + " lines counted by the analyzers").atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(200)).until(() -> counted(ports) >= LINES);
            }
            assertThat(counted(ports)).as("every line counted once, nothing else").isEqualTo(LINES);
            Map<String, Integer> copies = AnalyzerJournals.copiesByPacket(data, NAMES);
            assertThat(copies.values()).as("no packet counted twice").allMatch(n -> n == 1);
            assertThat(copies.keySet()).as("all of agent syslog-ng-1").allMatch(k -> k.startsWith("syslog-ng-1 "));
            for (int i = 0; i < NAMES.length; i++) {
                long messages = http.getJson(ports[i], "/stats").get("messages").asLong();
                // the balancer's lag never exceeds a packet: syslog-ng posts at most 100 lines at once
                assertThat((double) messages).as("share of %s", NAMES[i]).isCloseTo(WEIGHTS[i] * LINES,
                        org.assertj.core.data.Offset.offset(110.0));
            }
            long byProtocol = 0;
            for (JsonNode a : http.getJson(port, "/analyzers")) {
                byProtocol += a.at("/messagesByProtocol/lines").asLong();
                assertThat(a.at("/messagesByProtocol/native").asLong()).isZero();
            }
            assertThat(byProtocol).isEqualTo(LINES);
            String metrics = http.send(HttpRequest.newBuilder(Http.url(port, "/metrics"))).body();
            assertThat(metrics).contains("logdist_ingest_messages_total{protocol=\"lines\"} " + LINES + ".0");
            assertThat(metrics).as("no batch refused, not even one with emerg in it")
                    .doesNotContain("logdist_ingest_requests_total{status=\"400\"}");
        }
    }

    /** The lines, as RFC 3164 syslog over TCP, each with its own number; every fourth at a severity above notice. */
    private static void send(int port) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
             OutputStream out = socket.getOutputStream()) {
            StringBuilder batch = new StringBuilder();
            for (int n = 0; n < LINES; n++) {
                int severity = n % 4 == 0 ? (n / 4) % 5 : 5 + n % 3;
                int pri = 8 + severity; // facility user
                batch.append('<').append(pri).append(">Dec  1 12:00:00 web-").append(n % 3).append(" app[42]: line ")
                        .append(n).append(' ').append(SEVERITIES[severity]).append('\n');
                if (batch.length() > 16_384) {
                    out.write(batch.toString().getBytes(StandardCharsets.UTF_8));
                    batch.setLength(0);
                }
            }
            out.write(batch.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    private long counted(int[] ports) throws Exception {
        long total = 0;
        for (int p : ports) {
            total += http.getJson(p, "/stats").get("messages").asLong();
        }
        return total;
    }
}
