package dev.logdist.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * A real single-node Kafka broker started by {@code kafka/broker.sh} as its own process on free loopback ports with its
 * own data dir under {@code target/it-logs}, and stopped by its PID.
 */
final class KafkaBroker implements AutoCloseable {

    private final int port;
    private final int controllerPort;
    private final Path dir;
    private final ProcessHandle process;
    // the broker is not a child of this JVM and would outlive it: a run that dies before close() still stops it
    private final Thread onExit;

    private KafkaBroker(int port, int controllerPort, Path dir, ProcessHandle process) {
        this.port = port;
        this.controllerPort = controllerPort;
        this.dir = dir;
        this.process = process;
        this.onExit = new Thread(process::destroyForcibly, "kafka-broker-" + port + "-kill");
        Runtime.getRuntime().addShutdownHook(onExit);
    }

    /** Starts a broker, fetching its jars first on a clean clone (the script does), and waits until it answers. */
    static KafkaBroker start() throws Exception {
        int port = Processes.freePort();
        int controllerPort = Processes.freePort();
        while (controllerPort == port) {
            controllerPort = Processes.freePort();
        }
        Files.createDirectories(Processes.LOGS);
        Path dir = Files.createTempDirectory(Processes.LOGS, "kafka-" + port + "-");
        ProcessBuilder pb = new ProcessBuilder(Processes.ROOT.resolve("kafka/broker.sh").toString(), "start")
                .directory(Processes.ROOT.toFile());
        pb.environment().putAll(Map.of("KAFKA_PORT", String.valueOf(port),
                "KAFKA_CONTROLLER_PORT", String.valueOf(controllerPort), "KAFKA_DATA_DIR", dir.toString()));
        Path out = dir.resolve("broker-sh.out");
        pb.redirectErrorStream(true).redirectOutput(out.toFile());
        Process script = pb.start();
        // up to 60 s for the broker, plus the first run's download of the jars
        if (!script.waitFor(5, TimeUnit.MINUTES)) {
            script.destroyForcibly();
            throw new AssertionError("kafka/broker.sh start did not end within 5 minutes; see " + out);
        }
        if (script.exitValue() != 0) {
            throw new AssertionError("kafka/broker.sh start exited with " + script.exitValue() + ": " + Files.readString(out));
        }
        long pid = Long.parseLong(Files.readString(dir.resolve("broker.pid")).trim());
        ProcessHandle process = ProcessHandle.of(pid)
                .orElseThrow(() -> new AssertionError("kafka broker pid " + pid + " is gone; see " + dir.resolve("logs")));
        KafkaBroker broker = new KafkaBroker(port, controllerPort, dir, process);
        try {
            await("kafka broker on " + broker.bootstrap() + " describes its cluster").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200)).until(broker::answers);
        } catch (RuntimeException | Error e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    String bootstrap() {
        return "127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    int controllerPort() {
        return controllerPort;
    }

    /** Creates a topic with replication factor 1, as a single broker allows. */
    void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** SIGKILL, as {@code kill -9}: the broker neither flushes nor shuts down cleanly. */
    void kill() throws Exception {
        process.destroyForcibly();
        process.onExit().get(20, TimeUnit.SECONDS);
    }

    private boolean answers() throws InterruptedException {
        if (!process.isAlive()) {
            throw new AssertionError("kafka broker exited; see " + dir.resolve("logs/server.log"));
        }
        try (Admin admin = admin()) {
            return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    private Admin admin() {
        return Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000));
    }

    /** SIGTERM to the broker's PID, SIGKILL if it has not ended within 30 s; then drops its storage, keeps its logs. */
    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.destroy();
            try {
                process.onExit().get(30, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                process.destroyForcibly();
                process.onExit().get(10, TimeUnit.SECONDS);
            }
        }
        Runtime.getRuntime().removeShutdownHook(onExit);
        Files.deleteIfExists(dir.resolve("broker.pid"));
        try (Stream<Path> files = Files.walk(dir.resolve("storage"))) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            // logs and storage stay for a look; target/ is wiped by mvn clean anyway
        }
    }
}
