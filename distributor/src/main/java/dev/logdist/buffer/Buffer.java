package dev.logdist.buffer;

import dev.logdist.model.Chunk;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.RoutesBuilder;

/**
 * Where accepted chunks wait for their analyzer and are delivered from: the balancer hands each chunk to its
 * analyzer's intake, and the buffer sends it on through the analyzer's {@code send-<name>} route. A distributor runs
 * on exactly one: the spool (memory queues, a disk spool behind them) or Kafka (a topic per analyzer).
 */
public interface Buffer {

    /**
     * Exchange property of an ingest exchange: the analyzer each chunk of the packet was balanced to, by the chunk's
     * place in the packet, for a buffer that keeps a packet's chunks together ({@link #keeper()}).
     */
    String ASSIGNMENT = "logdist.assignment";

    /**
     * The balancer's target for an analyzer: keeps the exchange's {@code Chunk} body for it, or fails the exchange
     * with a {@code NoRoomException} (the agent gets 503). Never blocks the calling thread, an event loop.
     */
    AsyncProcessor intake(int analyzer);

    /** The id of that target in the balance route ({@code enqueue-a1}, {@code produce-a1}). */
    String intakeId(int analyzer);

    /**
     * The ingest route's step after every chunk of a packet was balanced: keeps them all or none (fails the exchange
     * with a {@code NoRoomException}), for a buffer whose intakes only note the assignment; or does nothing.
     */
    AsyncProcessor keeper();

    /**
     * Keeps a chunk handed back for the analyzer (a redrive of what it refused), as durably as what ingest accepts;
     * returns once it is kept, or throws.
     */
    void keep(int analyzer, Chunk chunk) throws IOException;

    /** The routes that deliver from this buffer, beside the {@code send-<name>} routes; none if it delivers without. */
    List<RoutesBuilder> routes();

    /** Whether a new packet can be kept now; cheap and lock-free, asked on the event loops for every packet. */
    boolean hasRoom();

    /** What keeps the buffer from taking packets, one line each, for the health check; empty when nothing does. */
    List<String> problems();

    /** Chunks waiting for the analyzer: in memory, or in its Kafka topic. */
    long queued(int analyzer);

    /** Chunks kept on disk for the analyzer. */
    long spooled(int analyzer);

    /** Fields of this buffer's own for the analyzer's entry in {@code GET /analyzers} (Kafka's {@code lag}). */
    Map<String, Object> details(int analyzer);

    /** Registers this buffer's own series (Kafka's lag) in {@code /metrics}. */
    void bindMetrics(MeterRegistry registry, List<String> analyzers);
}
