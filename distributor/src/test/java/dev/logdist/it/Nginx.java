package dev.logdist.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A private nginx (Debian's {@code nginx}, which .ci/run installs) on a loopback port, in front of an analyzer: its own
 * config, pid file, logs and temp dirs under a directory of its own, started in the foreground and stopped by PID.
 * {@link #reload} rewrites the config and sends the master SIGHUP, as {@code nginx -s reload} does.
 */
final class Nginx implements AutoCloseable {

    final int port;
    private final Path dir;
    private final Process master;

    /** Starts nginx listening on {@code port} with {@code http} (directives inside {@code http { }}, a server included). */
    Nginx(int port, String http) throws IOException {
        this.port = port;
        // world-readable: the workers run as nobody when the tests run as root
        this.dir = Files.createTempDirectory("nginx", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        write(http);
        Files.createDirectories(Processes.LOGS);
        String nginx = Files.isExecutable(Path.of("/usr/sbin/nginx")) ? "/usr/sbin/nginx" : "nginx"; // not on every PATH
        ProcessBuilder pb = new ProcessBuilder(nginx, "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(),
                "-e", dir.resolve("error.log").toString());
        pb.redirectErrorStream(true).redirectOutput(Processes.LOGS.resolve("nginx-" + port + ".log").toFile());
        this.master = pb.start();
        await("nginx listening on " + port).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    if (!master.isAlive()) {
                        throw new AssertionError("nginx exited with " + master.exitValue() + ": "
                                + Files.readString(Processes.LOGS.resolve("nginx-" + port + ".log")));
                    }
                    return Processes.listening(port);
                });
    }

    /** A {@code server} that passes every request to {@code upstream} (scheme, host, port and path). */
    static String proxy(int port, String extra, String upstream) {
        return "server { listen 127.0.0.1:" + port + "; " + extra
                + " location / { proxy_pass " + upstream + "; proxy_http_version 1.1; proxy_set_header Connection \"\"; } }";
    }

    /** A {@code server} that answers every request itself: {@code return 401;}. */
    static String answering(int port, int status) {
        return "server { listen 127.0.0.1:" + port + "; location / { return " + status + "; } }";
    }

    /** Writes the new config and tells the master to reload it; new workers take over the port. */
    void reload(String http) throws Exception {
        write(http);
        Process hup = new ProcessBuilder("kill", "-HUP", String.valueOf(master.pid())).inheritIO().start();
        if (!hup.waitFor(10, TimeUnit.SECONDS) || hup.exitValue() != 0) {
            throw new AssertionError("kill -HUP " + master.pid() + " failed");
        }
    }

    /** What nginx logged at warn and above. */
    String errorLog() throws IOException {
        Path log = dir.resolve("error.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private void write(String http) throws IOException {
        String conf = "worker_processes 1; daemon off; pid " + dir.resolve("nginx.pid") + ";\n"
                + "error_log " + dir.resolve("error.log") + " warn;\n"
                + "events { worker_connections 256; }\n"
                + "http { access_log off; client_body_buffer_size 1m;\n"
                + "  client_body_temp_path " + dir.resolve("body") + "; proxy_temp_path " + dir.resolve("proxy") + ";\n"
                + "  fastcgi_temp_path " + dir.resolve("fastcgi") + "; uwsgi_temp_path " + dir.resolve("uwsgi") + ";\n"
                + "  scgi_temp_path " + dir.resolve("scgi") + ";\n"
                + "  " + http + "\n}\n";
        Files.writeString(dir.resolve("nginx.conf"), conf);
    }

    @Override
    public void close() throws InterruptedException {
        Processes.stop(master);
    }
}
