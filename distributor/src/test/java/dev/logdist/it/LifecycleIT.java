package dev.logdist.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Start-up and shut-down of the real processes: a bad setting stops start-up with one line; SIGTERM stops cleanly. */
class LifecycleIT {

    @Test
    void should_refuse_to_start_with_a_bad_weight_naming_the_setting_on_one_line() throws Exception {
        Process p = Processes.runToEnd("bad-weight", Map.of("DISTRIBUTOR_PORT", String.valueOf(Processes.freePort()),
                "DISTRIBUTOR_ANALYZERS", "a1@0.4=http://127.0.0.1:9101/logs,a2@-1=http://127.0.0.1:9102/logs"), "bin/distributor");
        assertThat(p.exitValue()).isEqualTo(2);
        List<String> err = Files.readAllLines(Processes.LOGS.resolve("bad-weight.err"));
        assertThat(err).containsExactly("distributor: invalid setting DISTRIBUTOR_ANALYZERS (distributor.analyzers): "
                + "weight of 'a2' must be a number > 0, got -1");
    }

    @Test
    void should_refuse_a_bad_port() throws Exception {
        Process p = Processes.runToEnd("bad-port", Map.of("DISTRIBUTOR_PORT", "eighty"), "bin/distributor");
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(Files.readAllLines(Processes.LOGS.resolve("bad-port.err")))
                .containsExactly("distributor: invalid setting DISTRIBUTOR_PORT (distributor.port): must be a whole number"
                        + " from 0 to 65535, got 'eighty'");
        Process a = Processes.runToEnd("bad-analyzer-port", Map.of("ANALYZER_PORT", "-3"), "bin/analyzer");
        assertThat(a.exitValue()).isEqualTo(2);
    }

    @Test
    void should_stop_both_processes_on_sigterm() throws Exception {
        try (Processes processes = new Processes()) {
            int analyzerPort = Processes.freePort();
            Process analyzer = processes.analyzer("solo", analyzerPort);
            int port = Processes.freePort();
            Process distributor = processes.distributor("sigterm", port, Map.of(
                    "DISTRIBUTOR_ANALYZERS", "solo@1=http://127.0.0.1:" + analyzerPort + "/logs",
                    "DISTRIBUTOR_DATA_DIR", Files.createTempDirectory("sigterm").toString()));
            distributor.destroy();
            assertThat(distributor.waitFor(20, TimeUnit.SECONDS)).as("distributor ended after SIGTERM").isTrue();
            assertThat(distributor.exitValue()).isZero();
            assertThat(Processes.listening(port)).isFalse();
            analyzer.destroy();
            assertThat(analyzer.waitFor(20, TimeUnit.SECONDS)).as("analyzer ended after SIGTERM").isTrue();
            assertThat(Processes.listening(analyzerPort)).isFalse();
        }
    }

    @Test
    void should_log_one_json_object_per_line_when_asked() throws Exception {
        try (Processes processes = new Processes()) {
            int port = Processes.freePort();
            processes.distributor("json-log", port, Map.of("DISTRIBUTOR_LOG_FORMAT", "json",
                    "DISTRIBUTOR_ANALYZERS", "x@1=http://127.0.0.1:" + Processes.freePort() + "/logs",
                    "DISTRIBUTOR_DATA_DIR", Files.createTempDirectory("json-log").toString()));
            Path log;
            try (var files = Files.list(Processes.LOGS)) {
                log = files.filter(p -> p.getFileName().toString().startsWith("distributor-json-log")).findFirst().orElseThrow();
            }
            List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
            assertThat(lines).isNotEmpty();
            for (String line : lines) {
                assertThat(Http.JSON.readTree(line).get("message")).as(line).isNotNull();
            }
            assertThat(lines).anyMatch(l -> l.contains("started in"));
        }
        Process bad = Processes.runToEnd("bad-log-format", Map.of("DISTRIBUTOR_LOG_FORMAT", "xml"), "bin/distributor");
        assertThat(bad.exitValue()).isEqualTo(2);
    }
}
