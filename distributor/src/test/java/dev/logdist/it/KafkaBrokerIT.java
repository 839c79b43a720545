package dev.logdist.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The Kafka broker fixture runs a real broker: what is produced with acks=all comes back to a consumer group. */
class KafkaBrokerIT {

    private static final String TOPIC = "logs";
    private static final int PARTITIONS = 3;

    @Test
    void should_give_back_every_record_to_a_consumer_group_and_close_its_ports_when_killed() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start()) {
            broker.createTopic(TOPIC, PARTITIONS);
            List<ProducerRecord<String, String>> sent = IntStream.range(0, 50).mapToObj(i -> new ProducerRecord<>(TOPIC,
                    "a" + (i % 5), "{\"agent\":\"a" + (i % 5) + "\",\"seq\":" + i + ",\"message\":\"line " + i + "\"}")).toList();
            Map<TopicPartition, Long> perPartition = new HashMap<>();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(broker))) {
                List<Future<RecordMetadata>> acks = new ArrayList<>();
                for (ProducerRecord<String, String> r : sent) {
                    acks.add(producer.send(r));
                }
                for (Future<RecordMetadata> ack : acks) {
                    RecordMetadata m = ack.get(30, TimeUnit.SECONDS);
                    perPartition.merge(new TopicPartition(m.topic(), m.partition()), 1L, Long::sum);
                }
            }
            // the five keys hash to more than one partition, so the group reads (and commits) several
            assertThat(perPartition.size()).as("partitions written").isGreaterThan(1);

            List<ConsumerRecord<String, String>> received = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig(broker))) {
                consumer.subscribe(List.of(TOPIC));
                await("all records consumed").atMost(Duration.ofSeconds(30)).pollInSameThread().pollInterval(Duration.ofMillis(10))
                        .until(() -> {
                            consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                            return received.size() >= sent.size();
                        });
                consumer.commitSync(Duration.ofSeconds(10));
                Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(perPartition.keySet(), Duration.ofSeconds(10));
                for (Map.Entry<TopicPartition, Long> e : perPartition.entrySet()) {
                    assertThat(committed.get(e.getKey())).as("committed offset of %s", e.getKey()).isNotNull()
                            .extracting(OffsetAndMetadata::offset).isEqualTo(e.getValue());
                }
            }
            assertThat(received).extracting(ConsumerRecord::value)
                    .containsExactlyInAnyOrderElementsOf(sent.stream().map(ProducerRecord::value).toList());
            // a key lives in one partition: its records come back in the order they were sent
            for (int a = 0; a < 5; a++) {
                String key = "a" + a;
                assertThat(received.stream().filter(r -> r.key().equals(key)).map(ConsumerRecord::value).toList())
                        .as("records of key %s", key)
                        .containsExactlyElementsOf(sent.stream().filter(r -> r.key().equals(key)).map(ProducerRecord::value).toList());
            }

            broker.kill();
            assertThat(Processes.listening(broker.port())).as("broker port after kill -9").isFalse();
            assertThat(Processes.listening(broker.controllerPort())).as("controller port after kill -9").isFalse();
        }
    }

    private static Map<String, Object> producerConfig(KafkaBroker broker) {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    }

    private static Map<String, Object> consumerConfig(KafkaBroker broker) {
        return Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "kafka-broker-it",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    }
}
