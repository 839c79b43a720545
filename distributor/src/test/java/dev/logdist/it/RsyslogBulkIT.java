package dev.logdist.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real rsyslog ships syslog lines to the distributor's Elasticsearch bulk endpoint with omelasticsearch (bulk mode,
 * a template producing {@code @timestamp}, {@code message}, {@code host.name}, {@code log.level}), with three real
 * analyzers behind it: every message sent is counted by the analyzers, once, their counts split by weight, and rsyslog
 * reports no failure.
 */
class RsyslogBulkIT {

    static final int MESSAGES = 3000;
    static final String[] NAMES = {"r1", "r2", "r3"};
    static final double[] WEIGHTS = {0.5, 0.3, 0.2};

    private static Processes processes;
    private static Rsyslog rsyslog;
    private static Path data;
    private static int[] analyzerPorts;
    private static int tcpPort;
    private static final Http HTTP = new Http();

    @BeforeAll
    static void start() throws Exception {
        Rsyslog.binary(); // fail first, and clearly, without rsyslogd
        processes = new Processes();
        data = Files.createTempDirectory("rsyslog-bulk");
        analyzerPorts = new int[NAMES.length];
        StringBuilder analyzers = new StringBuilder();
        for (int i = 0; i < NAMES.length; i++) {
            analyzerPorts[i] = Processes.freePort();
            processes.analyzer(NAMES[i], analyzerPorts[i], data.resolve("analyzer-" + NAMES[i]));
            analyzers.append(i == 0 ? "" : ",").append(NAMES[i]).append('@').append(WEIGHTS[i])
                    .append("=http://127.0.0.1:").append(analyzerPorts[i]).append("/logs");
        }
        int port = Processes.freePort();
        processes.distributor("rsyslog", port, Map.of("DISTRIBUTOR_ANALYZERS", analyzers.toString(),
                "DISTRIBUTOR_DATA_DIR", data.resolve("distributor").toString(),
                // small chunks, so that shares by weight show within a few thousand messages
                "DISTRIBUTOR_MAX_CHUNK_MESSAGES", "10"));
        tcpPort = Processes.freePort();
        rsyslog = Rsyslog.start(config(port, tcpPort));
        rsyslog.awaitListening(tcpPort);
    }

    /** imtcp on a loopback port into omelasticsearch in bulk mode, posting to the distributor's /_bulk. */
    static String config(int distributorPort, int tcpPort) {
        return """
                module(load="impstats" interval="1" format="json" log.syslog="off" log.file="@DIR@/stats.json")
                module(load="imtcp")
                module(load="omelasticsearch")
                template(name="es-doc" type="list" option.jsonf="on") {
                  property(outname="@timestamp" name="timereported" dateFormat="rfc3339" format="jsonf")
                  property(outname="message" name="msg" format="jsonf")
                  property(outname="host.name" name="hostname" format="jsonf")
                  property(outname="log.level" name="syslogseverity-text" format="jsonf")
                  property(outname="service.name" name="programname" format="jsonf")
                }
                input(type="imtcp" address="127.0.0.1" port="%1$d" ruleset="to-distributor")
                ruleset(name="to-distributor") {
                  action(type="omelasticsearch" server="127.0.0.1" serverport="%2$d" searchIndex="syslog"
                         template="es-doc" bulkmode="on" errorfile="@DIR@/es-errors.json"
                         queue.type="LinkedList" queue.size="100000" queue.dequeueBatchSize="200"
                         action.resumeRetryCount="-1")
                }
                """.formatted(tcpPort, distributorPort);
    }

    @AfterAll
    static void stop() throws Exception {
        if (rsyslog != null) {
            rsyslog.close();
        }
        if (processes != null) {
            processes.close();
        }
    }

    @Test
    void should_count_every_message_rsyslog_ships_once_and_by_weight() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), tcpPort);
             OutputStream out = socket.getOutputStream()) {
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < MESSAGES; i++) {
                lines.append("<14>Nov 25 10:00:00 shipper-host app[42]: message number ").append(i).append('\n');
            }
            out.write(lines.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        await("every message counted by the analyzers").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).until(() -> counted() >= MESSAGES);
        await("rsyslog's statistics of every message submitted").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    JsonNode stats = rsyslog.lastStats("omelasticsearch");
                    return stats != null && stats.path("submitted").asLong() == MESSAGES;
                });
        assertThat(counted()).as("messages counted, all analyzers").isEqualTo(MESSAGES);
        JsonNode stats = rsyslog.lastStats("omelasticsearch");
        assertThat(stats.path("failed.http").asLong()).as("rsyslog: %s", stats).isZero();
        assertThat(stats.path("failed.httprequests").asLong()).as("rsyslog: %s", stats).isZero();
        assertThat(stats.path("failed.es").asLong()).as("rsyslog: %s", stats).isZero();
        assertThat(rsyslog.dir().resolve("es-errors.json")).as("rsyslog's error file").doesNotExist();

        // by ids: every chunk in one journal once; the agent is rsyslog's peer address (it sends no X-Agent-Id)
        long[] byAnalyzer = new long[NAMES.length];
        java.util.Set<String> chunks = new java.util.HashSet<>();
        for (int i = 0; i < NAMES.length; i++) {
            for (AnalyzerJournals.Entry e : AnalyzerJournals.read(data.resolve("analyzer-" + NAMES[i]))) {
                assertThat(chunks.add(e.agentId() + " " + e.id())).as("chunk %s counted once", e.id()).isTrue();
                assertThat(e.agentId()).isEqualTo("127.0.0.1");
                byAnalyzer[i] += e.messages();
            }
        }
        assertThat(java.util.Arrays.stream(byAnalyzer).sum()).as("journals").isEqualTo(MESSAGES);
        for (int i = 0; i < NAMES.length; i++) {
            assertThat((double) byAnalyzer[i] / MESSAGES).as("share of %s (%s)", NAMES[i],
                    java.util.Arrays.toString(byAnalyzer)).isCloseTo(WEIGHTS[i], org.assertj.core.data.Offset.offset(0.03));
        }
    }

    private static long counted() throws Exception {
        long n = 0;
        for (int port : analyzerPorts) {
            n += HTTP.getJson(port, "/stats").get("messages").asLong();
        }
        return n;
    }
}
