package dev.logdist.kafka;

import dev.logdist.kafka.KafkaTopics;
import dev.logdist.delivery.NoRoomException;
import dev.logdist.model.Chunk;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;

/**
 * A balancer target under {@code DISTRIBUTOR_BUFFER=kafka}: writes the chunk to its analyzer's topic and lets the
 * ingest route go on (to its 202) only once Kafka has it on every in-sync replica; a send that fails ends in a 503,
 * so the agent sends the packet again. The send starts on {@code waits}, not on the event loop: it can wait for topic
 * metadata or for room in the producer's buffer.
 */
final class KafkaEnqueuer extends AsyncProcessorSupport {

    private final KafkaTopics buffer;
    private final int analyzer;
    private final Executor waits;

    KafkaEnqueuer(KafkaTopics buffer, int analyzer, Executor waits) {
        this.buffer = buffer;
        this.analyzer = analyzer;
        this.waits = waits;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Chunk chunk = exchange.getMessage().getBody(Chunk.class);
        // Kafka may report a failed send both to the callback and by throwing: the route goes on once only
        AtomicBoolean answered = new AtomicBoolean();
        try {
            waits.execute(() -> {
                try {
                    buffer.send(analyzer, chunk, (metadata, failure) -> {
                        if (answered.compareAndSet(false, true)) {
                            if (failure != null) {
                                exchange.setException(refused(failure));
                            } else {
                                buffer.written(analyzer, chunk.messages());
                            }
                            callback.done(false);
                        }
                    });
                } catch (Throwable e) {
                    if (answered.compareAndSet(false, true)) {
                        exchange.setException(refused(e));
                        callback.done(false);
                    }
                }
            });
        } catch (RejectedExecutionException e) { // as many sends wait already as may, or stopping
            exchange.setException(refused(e));
            callback.done(true);
            return true;
        }
        return false;
    }

    private static Exception refused(Throwable cause) {
        return new NoRoomException("Kafka did not take the chunk: " + cause);
    }
}
