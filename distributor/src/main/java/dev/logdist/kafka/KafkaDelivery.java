package dev.logdist.kafka;

import dev.logdist.delivery.AnalyzerHealth;
import dev.logdist.delivery.AnalyzerRequests;
import dev.logdist.delivery.Completions;
import dev.logdist.delivery.DeliveryStats;
import dev.logdist.delivery.OutagePolicy;
import dev.logdist.delivery.SendRoutes;
import dev.logdist.model.Chunk;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one analyzer's topic: polls a batch of chunks, sends them through the analyzer's breaker
 * ({@code direct:send-<name>}) and commits their offsets only after the analyzer took them. A failed batch is not
 * committed: the consumer seeks back to it and pauses for the retry delay; under the hold policy it stays paused while
 * the analyzer is DOWN (its backlog is the group's lag) and resumes when the breaker lets traffic through again. Under
 * the failover policy a failed batch, and while the analyzer is DOWN its whole backlog, is produced to the topics of
 * analyzers that are up instead, then committed. Every replica runs one
 * of these per analyzer in the same consumer group, so the partitions of a replica that dies pass to the others.
 */
final class KafkaDelivery implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaDelivery.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration COMMIT_WAIT = Duration.ofSeconds(10);

    private final KafkaTopics buffer;
    private final int analyzer;
    private final String name;
    private final ProducerTemplate template;
    private final Completions completions;
    private final DeliveryStats stats;
    private final AnalyzerHealth health;
    private final OutagePolicy policy;
    private final long retryDelayMs;
    private final KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running = true;
    private long pausedUntil;
    /** Offsets delivered but not yet committed (Kafka refuses commits while the group rebalances). */
    private final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();

    KafkaDelivery(KafkaTopics buffer, int analyzer, String name, ProducerTemplate template, Completions completions,
                  DeliveryStats stats, AnalyzerHealth health, OutagePolicy policy, int maxBatch, long lingerMs,
                  long retryDelayMs) {
        this.buffer = buffer;
        this.analyzer = analyzer;
        this.name = name;
        this.template = template;
        this.completions = completions;
        this.stats = stats;
        this.health = health;
        this.policy = policy;
        this.retryDelayMs = retryDelayMs;
        Properties p = buffer.common();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, buffer.group(analyzer));
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxBatch);
        // the broker lingers for us: a fetch waits up to the linger for 64 KB of chunks, so batches stay thick
        p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 65_536);
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) Math.max(1, lingerMs));
        // a replica killed with kill -9 hands its partitions on after this long
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(p);
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(buffer.topic(analyzer)), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    // last chance to commit what was delivered from them, so their next owner does not send it again;
                    // whatever is refused now is theirs: committing it later could move their offset back
                    commit(partitions);
                    partitions.forEach(uncommitted::remove);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    partitions.forEach(uncommitted::remove); // no longer ours to commit: their new owner re-delivers
                }
            });
            while (running) {
                // under failover a DOWN analyzer's topic is still read: each batch fails fast on the open breaker
                // and goes to the analyzers that are up
                boolean down = health.state(analyzer) == AnalyzerHealth.State.DOWN && policy.waitsWhileDown();
                // offsets Kafka has not taken yet (cut off from it, or a rebalance): deliver nothing more until it
                // does, so that what the partitions' next owner sends again is at most the batches already sent
                boolean hold = down || System.nanoTime() < pausedUntil || !uncommitted.isEmpty();
                if (hold) {
                    consumer.pause(consumer.assignment()); // again each time: partitions assigned meanwhile too
                } else if (!consumer.paused().isEmpty()) {
                    consumer.resume(consumer.paused());
                }
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL); // paused, it only keeps the membership
                if (!uncommitted.isEmpty()) {
                    commit(uncommitted.keySet()); // a commit refused during a rebalance, now that it is over
                }
                if (!records.isEmpty()) {
                    deliver(records);
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            LOG.error("delivery from Kafka to {} stopped: {}", name, e.toString(), e);
        } finally {
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.warn("closing the Kafka consumer of {}: {}", name, e.toString());
            }
        }
    }

    /** Delivers a batch; whatever goes wrong, the batch is sent again later, never committed unsent. */
    private void deliver(ConsumerRecords<String, byte[]> records) {
        try {
            send(records);
        } catch (WakeupException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.error("delivering a batch to {} failed; it is sent again: {}", name, e.toString(), e);
            retryLater(records);
        }
    }

    /** Seeks back to the first record of each partition of the batch and pauses for the retry delay. */
    private void retryLater(ConsumerRecords<String, byte[]> records) {
        for (TopicPartition tp : records.partitions()) {
            consumer.seek(tp, records.records(tp).get(0).offset());
        }
        pausedUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(retryDelayMs);
    }

    private void send(ConsumerRecords<String, byte[]> records) {
        List<Chunk> batch = new ArrayList<>(records.count());
        Map<TopicPartition, OffsetAndMetadata> next = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            String id = r.key() != null ? r.key() : tp + "@" + r.offset(); // a record not written by a distributor
            batch.add(new Chunk(id, KafkaTopics.messagesOf(r.headers()), r.value() == null ? new byte[0] : r.value()));
            next.put(tp, new OffsetAndMetadata(r.offset() + 1));
        }
        Exchange result = template.send(SendRoutes.uri(name), e -> {
            e.setProperty(AnalyzerRequests.ANALYZER, analyzer);
            e.getMessage().setBody(batch);
        });
        if (result.getException() == null) {
            try {
                completions.completed(result);
            } catch (java.io.IOException e) {
                // refused chunks neither delivered nor parked must not be committed: the batch is sent again
                LOG.error("could not park chunks refused by {}; the batch is sent again: {}", name, e.toString());
                retryLater(records);
                return;
            }
            commit(next);
            return;
        }
        stats.failedAttempt(analyzer);
        LOG.debug("batch of {} chunks to {} failed: {}", batch.size(), name, String.valueOf(result.getException()));
        if (running && reroute(batch)) {
            commit(next);
            return;
        }
        retryLater(records); // the same chunks again, after the retry delay or the outage
    }

    /**
     * Under failover, produces each chunk to the topic of the analyzer the outage policy picks; false (nothing sent)
     * if any chunk has none, and always under hold.
     */
    private boolean reroute(List<Chunk> batch) {
        int[] targets = new int[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            targets[i] = policy.redirect(analyzer, batch.get(i));
            if (targets[i] < 0) {
                return false;
            }
        }
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            buffer.send(targets[i], batch.get(i), (md, e) -> {
                if (e == null) {
                    done.complete(null);
                } else {
                    done.completeExceptionally(e);
                }
            });
            sent.add(done);
        }
        try {
            CompletableFuture.allOf(sent.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // they stay in this topic; any that did reach another one will be counted by two analyzers
            LOG.warn("re-routing {} chunks of {} failed ({}); they stay in its topic", batch.size(), name, e.toString());
            return false;
        }
        batch.forEach(c -> stats.rerouted(analyzer));
        return true;
    }

    private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        uncommitted.putAll(offsets);
        commit(offsets.keySet());
    }

    /**
     * Commits the delivered offsets of {@code partitions}. During a rebalance Kafka refuses commits; they are kept and
     * tried again after the next poll, or when the partitions are revoked, so that a partition changing hands is not
     * delivered again from an older offset.
     */
    private void commit(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata o = uncommitted.get(tp);
            if (o != null) {
                offsets.put(tp, o);
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets, COMMIT_WAIT);
            offsets.keySet().forEach(uncommitted::remove);
        } catch (WakeupException e) {
            // stopping: the wake-up is spent, so this commit can still go through before the consumer closes
            commitOnce(offsets);
            throw e;
        } catch (RebalanceInProgressException | RetriableException e) {
            LOG.debug("commit of {} postponed: {}", name, e.toString());
        } catch (KafkaException e) {
            // the partitions went to another member: it delivers these chunks again, analyzers drop the repeat
            offsets.keySet().forEach(uncommitted::remove);
            LOG.info("could not commit a delivered batch of {} ({}); it may be delivered again", name, e.toString());
        }
    }

    private void commitOnce(Map<TopicPartition, OffsetAndMetadata> offsets) {
        try {
            consumer.commitSync(offsets, COMMIT_WAIT);
            offsets.keySet().forEach(uncommitted::remove);
        } catch (KafkaException e) {
            LOG.info("could not commit the last batch of {} ({}); it may be delivered again", name, e.toString());
        }
    }

    void stop() {
        running = false;
        consumer.wakeup();
    }
}
