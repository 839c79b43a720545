package dev.logdist.it;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private rsyslog: its own config file ({@code -f}), pid file ({@code -i}), work directory and module directory,
 * in the foreground ({@code -n}), started and stopped by its PID; never the system's rsyslog or its socket. Its
 * {@code rsyslogd} is the one {@code .ci/run} unpacks into {@code target/tools/rsyslog} (unpacked, not installed: Debian's
 * rsyslog and syslog-ng packages exclude each other), else {@code -Drsyslogd=...}, else {@code /usr/sbin/rsyslogd}.
 */
final class Rsyslog implements AutoCloseable {

    private static final Path UNPACKED = Processes.ROOT.resolve("target/tools/rsyslog");

    private final Path dir;
    private final Process process;

    private Rsyslog(Path dir, Process process) {
        this.dir = dir;
        this.process = process;
    }

    /** The rsyslogd binary and its module directory, or an AssertionError saying how to get them. */
    static Path[] binary() {
        String given = System.getProperty("rsyslogd");
        Path binary = given != null ? Path.of(given) : UNPACKED.resolve("usr/sbin/rsyslogd");
        Path modules = given != null ? Path.of(given).getParent().resolve("../lib/x86_64-linux-gnu/rsyslog").normalize()
                : UNPACKED.resolve("usr/lib/x86_64-linux-gnu/rsyslog");
        if (!Files.isExecutable(binary)) {
            binary = Path.of("/usr/sbin/rsyslogd");
            modules = Path.of("/usr/lib/x86_64-linux-gnu/rsyslog");
        }
        if (!Files.isExecutable(binary) || !Files.exists(modules.resolve("omelasticsearch.so"))) {
            throw new AssertionError("rsyslogd with omelasticsearch not found: run .ci/run's rsyslog step (apt-get download"
                    + " rsyslog rsyslog-elasticsearch, dpkg-deb -x into target/tools/rsyslog) or pass -Drsyslogd=...");
        }
        return new Path[] {binary, modules};
    }

    /**
     * Starts rsyslog with {@code config} (its body; the work directory is set here) in a fresh directory, which
     * {@code @DIR@} in the config names.
     */
    static Rsyslog start(String config) throws IOException {
        Path[] binary = binary();
        Path dir = Files.createTempDirectory("rsyslog");
        Files.createDirectories(dir.resolve("work"));
        Path conf = dir.resolve("rsyslog.conf");
        Files.writeString(conf, "global(workDirectory=\"" + dir.resolve("work") + "\")\n" + config.replace("@DIR@", dir.toString()));
        Files.createDirectories(Processes.LOGS);
        ProcessBuilder pb = new ProcessBuilder(binary[0].toString(), "-n", "-f", conf.toString(), "-i",
                dir.resolve("rsyslogd.pid").toString(), "-M", binary[1].toString());
        pb.redirectErrorStream(true).redirectOutput(Processes.LOGS.resolve("rsyslog-" + dir.getFileName() + ".log").toFile());
        return new Rsyslog(dir, pb.start());
    }

    Path dir() {
        return dir;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** The last impstats record of the named origin ({@code omelasticsearch}), or null before one is written. */
    JsonNode lastStats(String name) throws IOException {
        Path stats = dir.resolve("stats.json");
        if (!Files.exists(stats)) {
            return null;
        }
        List<String> lines = Files.readAllLines(stats);
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i);
            int brace = line.indexOf('{');
            if (brace < 0 || !line.endsWith("}")) {
                continue; // not a whole record (one being written)
            }
            JsonNode record = Http.JSON.readTree(line.substring(brace));
            if (name.equals(record.path("name").asText())) {
                return record;
            }
        }
        return null;
    }

    /** SIGTERM to rsyslog's PID (it flushes its queues), SIGKILL after 20 s. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Waits until rsyslog listens on {@code port}. */
    void awaitListening(int port) {
        await("rsyslog listening on " + port).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("rsyslogd exited with " + process.exitValue() + "; see " + Processes.LOGS);
                    }
                    return Processes.listening(port);
                });
    }
}
