package dev.logdist.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A private syslog-ng (Debian's {@code syslog-ng-core} and {@code syslog-ng-mod-http}) in a temporary directory: its own
 * configuration, pid file, persist file and control socket, never the system's; started in the foreground and stopped
 * by its PID. It listens for syslog lines on a loopback TCP port and posts them to the distributor as JSON lines
 * with its {@code http()} destination, the configuration docs/agents/json-lines.md shows.
 */
final class SyslogNg implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/sbin/syslog-ng");

    private final Process process;
    final int port;

    private SyslogNg(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /** Starts one that takes syslog lines on {@code port} and posts them to {@code url} as agent {@code agentId}. */
    static SyslogNg start(Path dir, int port, String url, String agentId) throws IOException {
        Path conf = dir.resolve("syslog-ng.conf");
        Files.writeString(conf, String.join("\n", List.of(
                "@version: 3.38",
                "options { keep-hostname(yes); stats-freq(0); };",
                "source s_test { network(ip(\"127.0.0.1\") port(" + port + ") transport(\"tcp\")); };",
                "destination d_distributor {",
                "  http(url(\"" + url + "\") method(\"POST\")",
                "    headers(\"Content-Type: application/x-ndjson\", \"X-Agent-Id: " + agentId + "\")",
                "    body(\"$(format-json timestamp=$ISODATE host=$HOST program=$PROGRAM level=$LEVEL message=$MESSAGE)\")",
                "    batch-lines(100) batch-timeout(200) workers(2));",
                "};",
                "log { source(s_test); destination(d_distributor); };", "")));
        Files.createDirectories(Processes.LOGS);
        ProcessBuilder pb = new ProcessBuilder(BINARY.toString(), "-F", "-e", "--no-caps",
                "-f", conf.toString(), "-p", dir.resolve("syslog-ng.pid").toString(),
                "-R", dir.resolve("syslog-ng.persist").toString(), "-c", dir.resolve("syslog-ng.ctl").toString());
        pb.redirectErrorStream(true).redirectOutput(Processes.LOGS.resolve("syslog-ng.log").toFile());
        Process p = pb.start();
        SyslogNg syslog = new SyslogNg(p, port);
        await("syslog-ng listening on " + port).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!p.isAlive()) {
                        throw new AssertionError("syslog-ng exited with " + p.exitValue() + "; see "
                                + Processes.LOGS.resolve("syslog-ng.log"));
                    }
                    return Processes.listening(port);
                });
        return syslog;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            Processes.stop(process);
        }
    }
}
