package dev.logdist.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The live page at {@code /}, rendered by headless Chromium against a real distributor. */
class LivePageIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @Test
    void should_render_every_analyzer_with_its_state_and_shares() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "needs Debian's chromium (apt-get install -y chromium; .ci/run does)");
        try (Processes processes = new Processes()) {
            StringBuilder list = new StringBuilder();
            for (int i = 1; i <= 4; i++) {
                int p = Processes.freePort();
                processes.analyzer("a" + i, p);
                list.append(i == 1 ? "" : ",").append("a").append(i).append("@").append(i).append("=http://127.0.0.1:").append(p).append("/logs");
            }
            int port = Processes.freePort();
            processes.distributor("page", port, Map.of("DISTRIBUTOR_ANALYZERS", list.toString(),
                    "DISTRIBUTOR_DATA_DIR", Files.createTempDirectory("page").toString()));
            Http http = new Http();
            Random random = new Random(1);
            for (int i = 0; i < 50; i++) {
                assertThat(http.postJson(port, "/logs", Packets.packet(random, "agent-p", null, 10)).statusCode()).isEqualTo(202);
            }
            // 20 JSON lines beside the 500 native messages: the page counts both by protocol
            String lines = "{\"message\":\"a line\"}\n".repeat(20);
            assertThat(http.send(java.net.http.HttpRequest.newBuilder(Http.url(port, "/logs"))
                    .header("Content-Type", "application/x-ndjson")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(lines))).statusCode()).isEqualTo(202);

            Path screenshot = Processes.LOGS.resolve("live-page.png");
            Files.deleteIfExists(screenshot);
            String dom = chromium("--dump-dom", "http://127.0.0.1:" + port + "/");
            assertThat(dom).contains("data-analyzer=\"a1\"", "data-analyzer=\"a2\"", "data-analyzer=\"a3\"", "data-analyzer=\"a4\"");
            assertThat(dom.split("class=\"state UP\"", -1)).hasSize(5);
            assertThat(dom).contains("received: native <b data-protocol=\"native\">500</b> · lines <b data-protocol=\"lines\">20</b>");
            assertThat(dom).contains("4 analyzers, 0 not up")
                    .contains("class=\"target-share\">10.0%</b>").contains("class=\"target-share\">40.0%</b>");
            // three bars per analyzer: target, the last minute, since start (rendered: a number where the script has ${...})
            assertThat(count(dom, "class=\"target\" style=\"width:[0-9]")).isEqualTo(4);
            assertThat(count(dom, "class=\"recent\" style=\"width:[0-9]")).isEqualTo(4);
            assertThat(count(dom, "class=\"actual\" style=\"width:[0-9]")).isEqualTo(4);
            assertThat(count(dom, "class=\"recent-share\">[0-9]+\\.[0-9]%</b>")).isEqualTo(4);
            // each chart's axes are labelled: ticks on both, a title on each
            assertThat(count(dom, "class=\"title x-title\" x=\"[0-9.]+\" y=\"[0-9.]+\" text-anchor=\"middle\">seconds ago</text>")).isEqualTo(4);
            assertThat(count(dom, "class=\"title y-title\" x=\"[0-9.]+\" y=\"[0-9.]+\" text-anchor=\"middle\">msgs/s</text>")).isEqualTo(4);
            assertThat(count(dom, "class=\"x-tick\" x=\"[0-9.]+\"")).isEqualTo(4 * 5);
            assertThat(count(dom, "class=\"y-tick\" x=\"[0-9.]+\"")).isEqualTo(4 * 3);
            chromium("--screenshot=" + screenshot, "--window-size=1280,720", "http://127.0.0.1:" + port + "/");
            assertThat(Files.size(screenshot)).isGreaterThan(10_000);
        }
    }

    private static long count(String dom, String regex) {
        return java.util.regex.Pattern.compile(regex).matcher(dom).results().count();
    }

    private static String chromium(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + Files.createTempDirectory("chromium"), "--virtual-time-budget=3000"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish within 60 s");
        }
        return new String(out, java.nio.charset.StandardCharsets.UTF_8);
    }
}
