import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * Who leads what, for kafka/cluster.sh (run as a single-file program: java -cp 'kafka/target/lib/*' Leaders.java):
 *   Leaders BOOTSTRAP leader TOPIC PARTITION   prints the node id leading that partition (-1: none)
 *   Leaders BOOTSTRAP leaders PREFIX           prints "node N leads K" per node for the topics starting with PREFIX,
 *                                              the node leading most first
 */
public final class Leaders {

    public static void main(String[] args) throws Exception {
        try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0],
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000))) {
            if (args[1].equals("leader")) {
                TopicDescription d = admin.describeTopics(List.of(args[2])).allTopicNames().get(20, TimeUnit.SECONDS)
                        .get(args[2]);
                TopicPartitionInfo p = d.partitions().get(Integer.parseInt(args[3]));
                System.out.println(p.leader() == null ? -1 : p.leader().id());
                return;
            }
            List<String> topics = admin.listTopics().names().get(20, TimeUnit.SECONDS).stream()
                    .filter(t -> t.startsWith(args[2])).toList();
            Map<Integer, Integer> led = new TreeMap<>();
            admin.describeCluster().nodes().get(20, TimeUnit.SECONDS).forEach(n -> led.put(n.id(), 0));
            for (TopicDescription d : admin.describeTopics(topics).allTopicNames().get(20, TimeUnit.SECONDS).values()) {
                for (TopicPartitionInfo p : d.partitions()) {
                    if (p.leader() != null) {
                        led.merge(p.leader().id(), 1, Integer::sum);
                    }
                }
            }
            led.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue())
                    .forEach(e -> System.out.println("node " + e.getKey() + " leads " + e.getValue()));
        }
    }
}
