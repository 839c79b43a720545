package dev.logdist.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Starts {@code bin/analyzer} and {@code bin/distributor} as real processes on loopback and stops them by PID. */
final class Processes implements AutoCloseable {

    static final Path ROOT = Path.of(System.getProperty("project.root", ".")).toAbsolutePath();
    static final Path LOGS = ROOT.resolve("target/it-logs");

    private final List<Process> started = new ArrayList<>();

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    Process analyzer(String name, int port) throws IOException {
        return start("analyzer-" + name, Map.of("ANALYZER_PORT", String.valueOf(port), "ANALYZER_NAME", name,
                "ANALYZER_HOST", "127.0.0.1"), port, "bin/analyzer");
    }

    /** An analyzer that keeps its counts in {@code dir}, so that it can be killed and come back with them. */
    Process analyzer(String name, int port, Path dir) throws IOException {
        return start("analyzer-" + name + "-" + started.size(), Map.of("ANALYZER_PORT", String.valueOf(port),
                "ANALYZER_NAME", name, "ANALYZER_HOST", "127.0.0.1", "ANALYZER_DATA_DIR", dir.toString()), port, "bin/analyzer");
    }

    /** An analyzer listening on {@code host} (e.g. an address a network namespace reaches), keeping its counts in {@code dir}. */
    Process analyzer(String name, String host, int port, Path dir) throws IOException {
        return start("analyzer-" + name + "-" + started.size(), Map.of("ANALYZER_PORT", String.valueOf(port),
                "ANALYZER_NAME", name, "ANALYZER_HOST", host, "ANALYZER_DATA_DIR", dir.toString()), host, port, "bin/analyzer");
    }

    /** SIGKILL, as {@code kill -9}: no shutdown hook runs. */
    static void kill(Process p) throws InterruptedException {
        p.destroyForcibly();
        p.waitFor(20, TimeUnit.SECONDS);
    }

    Process distributor(String label, int port, Map<String, String> env) throws IOException {
        return distributor(label, port, env, () -> java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/health")).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    /** A distributor that is ready when {@code ready} says so, e.g. when its /health answers 200 over TLS. */
    Process distributor(String label, int port, Map<String, String> env, java.util.concurrent.Callable<Boolean> ready)
            throws IOException {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("DISTRIBUTOR_PORT", String.valueOf(port));
        all.putIfAbsent("DISTRIBUTOR_HOST", "127.0.0.1");
        all.putIfAbsent("DISTRIBUTOR_MANAGEMENT_PORT", String.valueOf(freePort()));
        Process p = start("distributor-" + label + "-" + started.size(), all, port, "bin/distributor");
        // the port opens before the routes are in place: ready is when /health answers
        await("distributor " + label + " ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .ignoreExceptions().until(ready);
        return p;
    }

    /** Runs a command to its end (bounded) and returns it, for start-up failures. */
    static Process runToEnd(String label, Map<String, String> env, String command) throws Exception {
        Files.createDirectories(LOGS);
        ProcessBuilder pb = new ProcessBuilder(ROOT.resolve(command).toString()).directory(ROOT.toFile());
        pb.environment().putAll(env);
        pb.redirectOutput(LOGS.resolve(label + ".out").toFile()).redirectError(LOGS.resolve(label + ".err").toFile());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(label + " did not end within 60 s");
        }
        return p;
    }

    private Process start(String label, Map<String, String> env, int port, String command) throws IOException {
        return start(label, env, "127.0.0.1", port, command);
    }

    private Process start(String label, Map<String, String> env, String host, int port, String command) throws IOException {
        Files.createDirectories(LOGS);
        ProcessBuilder pb = new ProcessBuilder(ROOT.resolve(command).toString()).directory(ROOT.toFile());
        pb.environment().putAll(env);
        pb.redirectErrorStream(true).redirectOutput(LOGS.resolve(label + ".log").toFile());
        Process p = pb.start();
        started.add(p);
        await(label + " listening on " + port).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!p.isAlive()) {
                        throw new AssertionError(label + " exited with " + p.exitValue() + "; see " + LOGS.resolve(label + ".log"));
                    }
                    return listening(host, port);
                });
        return p;
    }

    static boolean listening(int port) {
        return listening("127.0.0.1", port);
    }

    static boolean listening(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGTERM to the process's PID, then SIGKILL if it has not ended within 20 s; returns the exit code. */
    static int stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        return p.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : started) {
            if (p.isAlive()) {
                stop(p);
            }
        }
    }
}
