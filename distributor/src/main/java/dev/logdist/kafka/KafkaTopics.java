package dev.logdist.kafka;

import dev.logdist.config.ConfigException;
import dev.logdist.config.DistributorConfig;
import dev.logdist.model.Chunk;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code DISTRIBUTOR_BUFFER=kafka}: accepted chunks wait in Kafka instead of memory and the local spool. One topic per
 * analyzer; a chunk is a record keyed by its chunk id, valued by its JSON, with its message count in a header. The
 * producer is idempotent and waits for every in-sync replica ({@code acks=all}): ingest answers 202 only once Kafka
 * has the chunk. On start it creates the topics it lacks, and every second it reads how far each analyzer's consumer
 * group lags behind its topic.
 */
public final class KafkaTopics extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaTopics.class);
    /** Record header: how many messages the chunk holds, as decimal ASCII. */
    static final String MESSAGES = "messages";
    private static final long ADMIN_TIMEOUT_SECONDS = 30;

    private final DistributorConfig.Kafka settings;
    private final List<String> names;
    private final int maxRecordBytes;
    private final AtomicLongArray lag;
    /** Per analyzer, messages this replica's ingest wrote to its topic and Kafka took: the balancer's own share. */
    private final AtomicLongArray written;
    /** When Kafka last answered the lag reader, in nanoseconds; 0 before it first did. */
    private volatile long answeredAt;
    private volatile boolean answeredOnce;
    /** Per analyzer, how many partitions its topic has (a topic made earlier may have another count). */
    private int[] partitions;
    private KafkaProducer<String, byte[]> producer;
    private Admin admin;
    private ScheduledExecutorService lagReader;

    /** How long a send may wait for room in the producer's buffer or for metadata; then the agent gets its 503. */
    private static final int SEND_WAIT_MS = 1_000;

    /** {@code maxBodyBytes}: the largest request body, so the largest chunk, that the topics must take as one record. */
    public KafkaTopics(DistributorConfig.Kafka settings, List<String> names, int maxBodyBytes) {
        this.settings = settings;
        this.names = List.copyOf(names);
        this.maxRecordBytes = maxBodyBytes + 65_536; // the record's key, headers and batch framing
        this.lag = new AtomicLongArray(names.size());
        this.written = new AtomicLongArray(names.size());
    }

    /** Counts messages ingest wrote to the analyzer's topic once Kafka took them. */
    void written(int analyzer, int messages) {
        written.addAndGet(analyzer, messages);
    }

    /** Messages this replica's ingest wrote to the analyzer's topic (and Kafka took) since start. */
    public long written(int analyzer) {
        return written.get(analyzer);
    }

    public DistributorConfig.Kafka settings() {
        return settings;
    }

    public String topic(int analyzer) {
        return settings.topic(names.get(analyzer));
    }

    /** The consumer group that delivers an analyzer's topic: one per analyzer, shared by every replica. */
    public String group(int analyzer) {
        return topic(analyzer);
    }

    /** Chunks in the analyzer's topic that its group has not committed yet; -1 until first read. */
    public long lag(int analyzer) {
        return lag.get(analyzer);
    }

    /** Whether Kafka answered the lag reader (every second) within the last 5 seconds. */
    public boolean answers() {
        return answeredOnce && System.nanoTime() - answeredAt < TimeUnit.SECONDS.toNanos(5);
    }

    /** Hands the chunk to the producer; {@code done} runs once Kafka has it on every in-sync replica, or failed. */
    public void send(int analyzer, Chunk chunk, Callback done) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic(analyzer), chunk.chunkId(), chunk.json());
        record.headers().add(MESSAGES, Integer.toString(chunk.messages()).getBytes(StandardCharsets.US_ASCII));
        producer.send(record, done);
    }

    /** The chunk's message count from its header; 1 for a record that lacks a readable one (not ours). */
    static int messagesOf(org.apache.kafka.common.header.Headers headers) {
        org.apache.kafka.common.header.Header h = headers.lastHeader(MESSAGES);
        try {
            return h == null ? 1 : Math.max(1, Integer.parseInt(new String(h.value(), StandardCharsets.US_ASCII)));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    Properties common() {
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap()); // producer, consumers and admin
        return p;
    }

    @Override
    protected void doStart() throws Exception {
        for (int i = 0; i < names.size(); i++) {
            lag.set(i, -1);
        }
        admin = Admin.create(common());
        createTopics();
        partitions = partitionCounts();
        Properties p = common();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, SEND_WAIT_MS);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRecordBytes);
        // an agent waits at most this long for its answer when Kafka stops answering: then 503, and it sends again
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producer = new KafkaProducer<>(p);
        lagReader = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kafka-lag");
            t.setDaemon(true);
            return t;
        });
        lagReader.scheduleWithFixedDelay(this::readLag, 0, 1, TimeUnit.SECONDS);
        LOG.info("buffer: Kafka at {}, topics {}", settings.bootstrap(),
                names.stream().map(settings::topic).toList());
    }

    private void createTopics() throws InterruptedException {
        short copies = replicationFactor();
        // acks=all means every in-sync replica: at least two of them once there are two copies, so a 202 survives the
        // loss of any one broker, and with three copies one broker may be down while writes go on
        String minInSync = Integer.toString(Math.min(2, copies));
        List<NewTopic> topics = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            topics.add(new NewTopic(topic(i), settings.partitions(), copies).configs(Map.of(
                    "max.message.bytes", Integer.toString(maxRecordBytes),
                    "min.insync.replicas", minInSync)));
        }
        LOG.info("buffer: topics made when missing with {} partitions, replication factor {}, min.insync.replicas {}",
                settings.partitions(), copies, minInSync);
        var results = admin.createTopics(topics).values();
        for (var result : results.entrySet()) {
            try {
                result.getValue().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new ConfigException("DISTRIBUTOR_KAFKA_BOOTSTRAP (distributor.kafka-bootstrap): cannot create topic '"
                            + result.getKey() + "' on " + settings.bootstrap() + ": " + e.getCause());
                }
            } catch (TimeoutException e) {
                throw new ConfigException("DISTRIBUTOR_KAFKA_BOOTSTRAP (distributor.kafka-bootstrap): no Kafka answered at "
                        + settings.bootstrap() + " within " + ADMIN_TIMEOUT_SECONDS + " s");
            }
        }
    }

    /** The replication factor set, or under {@code auto} the number of brokers in the cluster, at most 3. */
    private short replicationFactor() throws InterruptedException {
        if (settings.replicationFactor() > 0) {
            return settings.replicationFactor();
        }
        try {
            int brokers = admin.describeCluster().nodes().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS).size();
            return (short) Math.max(1, Math.min(3, brokers));
        } catch (ExecutionException | TimeoutException e) {
            throw new ConfigException("DISTRIBUTOR_KAFKA_BOOTSTRAP (distributor.kafka-bootstrap): no Kafka answered at "
                    + settings.bootstrap() + " within " + ADMIN_TIMEOUT_SECONDS + " s");
        }
    }

    private int[] partitionCounts() throws InterruptedException {
        List<String> topics = names.stream().map(settings::topic).toList();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ADMIN_TIMEOUT_SECONDS);
        while (true) {
            try {
                var described = admin.describeTopics(topics).allTopicNames().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                return topics.stream().mapToInt(t -> described.get(t).partitions().size()).toArray();
            } catch (ExecutionException e) {
                // a topic just made (here or by another replica) is not known to every broker of a cluster at once
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw cannotDescribe(topics, e);
                }
                Thread.sleep(200);
            } catch (TimeoutException e) {
                throw cannotDescribe(topics, e);
            }
        }
    }

    private ConfigException cannotDescribe(List<String> topics, Exception e) {
        return new ConfigException("DISTRIBUTOR_KAFKA_BOOTSTRAP (distributor.kafka-bootstrap): cannot describe topics "
                + topics + " on " + settings.bootstrap() + ": " + e);
    }

    private void readLag() {
        try {
            for (int i = 0; i < names.size(); i++) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group(i))
                        .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                for (int p = 0; p < partitions[i]; p++) {
                    latest.put(new TopicPartition(topic(i), p), OffsetSpec.latest());
                }
                Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest)
                        .all().get(5, TimeUnit.SECONDS);
                long behind = 0;
                for (var end : ends.entrySet()) {
                    OffsetAndMetadata done = committed.get(end.getKey());
                    behind += Math.max(0, end.getValue().offset() - (done == null ? 0 : done.offset()));
                }
                lag.set(i, behind);
                answeredAt = System.nanoTime();
                answeredOnce = true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.debug("could not read the consumer lag: {}", e.toString());
        }
    }

    @Override
    protected void doStop() {
        if (lagReader != null) {
            lagReader.shutdownNow();
        }
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(30)); // sends what it holds; their callbacks answer the agents
        }
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(5));
        }
    }
}
