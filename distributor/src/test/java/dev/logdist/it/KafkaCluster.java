package dev.logdist.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * A real three-node Kafka cluster (KRaft, each node broker and controller) run by {@code kafka/cluster.sh} under its own
 * directory in {@code target/it-logs}, its brokers listening on {@code host}; nodes are killed, stopped and restarted
 * on their data through the script, which manages them by their PID files.
 */
final class KafkaCluster implements AutoCloseable {

    static final int NODES = 3;

    private final Path dir;
    private final String bootstrap;
    // the brokers are not children of this JVM and would outlive it: a run that dies before close() still stops them
    private final Thread onExit;

    private KafkaCluster(Path dir, String bootstrap) {
        this.dir = dir;
        this.bootstrap = bootstrap;
        this.onExit = new Thread(this::killAll, "kafka-cluster-kill");
        Runtime.getRuntime().addShutdownHook(onExit);
    }

    /** Starts the three nodes with their brokers on {@code host} (127.0.0.1, or an address a namespace reaches). */
    static KafkaCluster start(String host) throws Exception {
        Files.createDirectories(Processes.LOGS);
        Path dir = Files.createTempDirectory(Processes.LOGS, "kafka-cluster-");
        script(dir, Map.of("KAFKA_HOST", host), "start");
        KafkaCluster cluster = new KafkaCluster(dir, script(dir, Map.of(), "bootstrap").trim());
        try {
            cluster.awaitBrokers(NODES);
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    String bootstrap() {
        return bootstrap;
    }

    /** {@code kill -9} of node {@code n} (1..3): no flush, no controlled shutdown. */
    void kill(int n) throws Exception {
        script(dir, Map.of(), "kill", String.valueOf(n));
    }

    /** Starts node {@code n} again on its data dir and waits until it has rejoined the cluster. */
    void restart(int n) throws Exception {
        script(dir, Map.of(), "restart", String.valueOf(n));
        awaitBrokers(NODES);
    }

    /** Stops every node (SIGTERM to all at once). */
    void stopAll() throws Exception {
        script(dir, Map.of(), "stop");
    }

    /** Starts every node again on its data. */
    void startAll() throws Exception {
        script(dir, Map.of(), "start");
        awaitBrokers(NODES);
    }

    /** Per node id, how many partitions of the topics starting with {@code prefix} it leads now. */
    Map<Integer, Integer> leaders(String prefix) throws Exception {
        try (Admin admin = admin()) {
            List<String> topics = admin.listTopics().names().get(20, TimeUnit.SECONDS).stream()
                    .filter(t -> t.startsWith(prefix)).toList();
            Map<Integer, Integer> led = new HashMap<>();
            for (TopicDescription d : admin.describeTopics(topics).allTopicNames().get(20, TimeUnit.SECONDS).values()) {
                for (TopicPartitionInfo p : d.partitions()) {
                    if (p.leader() != null) {
                        led.merge(p.leader().id(), 1, Integer::sum);
                    }
                }
            }
            return led;
        }
    }

    /** The node leading most partitions of the topics starting with {@code prefix}. */
    int leaderOfMost(String prefix) throws Exception {
        return leaders(prefix).entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    /** Per topic starting with {@code prefix}: its replication factor and min.insync.replicas, as "3/2". */
    Map<String, String> replication(String prefix) throws Exception {
        try (Admin admin = admin()) {
            List<String> topics = admin.listTopics().names().get(20, TimeUnit.SECONDS).stream()
                    .filter(t -> t.startsWith(prefix)).toList();
            var configs = admin.describeConfigs(topics.stream().map(t -> new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, t)).toList()).all().get(20, TimeUnit.SECONDS);
            Map<String, String> out = new HashMap<>();
            for (TopicDescription d : admin.describeTopics(topics).allTopicNames().get(20, TimeUnit.SECONDS).values()) {
                String minIsr = configs.entrySet().stream().filter(e -> e.getKey().name().equals(d.name())).findFirst()
                        .orElseThrow().getValue().get("min.insync.replicas").value();
                out.put(d.name(), d.partitions().get(0).replicas().size() + "/" + minIsr);
            }
            return out;
        }
    }

    /** Waits until {@code count} brokers are registered and unfenced, as the cluster describes itself. */
    void awaitBrokers(int count) {
        await("kafka cluster on " + bootstrap + " has " + count + " brokers").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500)).until(() -> brokers() >= count);
    }

    private int brokers() throws InterruptedException {
        try (Admin admin = admin()) {
            return admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size();
        } catch (ExecutionException | TimeoutException e) {
            return 0;
        }
    }

    Admin admin() {
        return Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000));
    }

    /** Runs {@code kafka/cluster.sh} on this cluster's directory to its end (at most 5 minutes); its stdout. */
    private static String script(Path dir, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Processes.ROOT.resolve("kafka/cluster.sh").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(Processes.ROOT.toFile());
        pb.environment().putAll(env);
        pb.environment().put("KAFKA_CLUSTER_DIR", dir.toString());
        Path out = Files.createTempFile(dir, "cluster-sh-", ".out");
        Path err = dir.resolve("cluster-sh.log");
        pb.redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()));
        Process p = pb.start();
        // a start waits up to 120 s for the nodes; the first run also downloads the jars
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("kafka/cluster.sh " + String.join(" ", args) + " did not end within 5 minutes; see " + err);
        }
        String stdout = Files.readString(out);
        Files.delete(out);
        if (p.exitValue() != 0) {
            throw new AssertionError("kafka/cluster.sh " + String.join(" ", args) + " exited with " + p.exitValue()
                    + ": " + stdout + "; see " + err);
        }
        return stdout;
    }

    private void killAll() {
        for (int n = 1; n <= NODES; n++) {
            try {
                long pid = Long.parseLong(Files.readString(dir.resolve("node-" + n + "/broker.pid")).trim());
                ProcessHandle.of(pid).filter(h -> h.info().commandLine().orElse("").contains("kafka.Kafka"))
                        .ifPresent(ProcessHandle::destroyForcibly);
            } catch (IOException | NumberFormatException e) {
                // not running
            }
        }
    }

    /** Stops every node through the script, then drops their storage and keeps their logs. */
    @Override
    public void close() throws Exception {
        try {
            script(dir, Map.of(), "stop");
        } finally {
            killAll();
            Runtime.getRuntime().removeShutdownHook(onExit);
        }
        for (int n = 1; n <= NODES; n++) {
            try (Stream<Path> files = Files.walk(dir.resolve("node-" + n + "/storage"))) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            } catch (IOException e) {
                // logs and storage stay for a look; target/ is wiped by mvn clean anyway
            }
        }
    }
}
