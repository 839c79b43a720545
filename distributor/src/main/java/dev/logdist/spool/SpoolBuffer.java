package dev.logdist.spool;

import dev.logdist.buffer.Buffer;
import dev.logdist.config.AnalyzerSpec;
import dev.logdist.config.DistributorConfig;
import dev.logdist.delivery.AnalyzerHealth;
import dev.logdist.delivery.AnalyzerQueues;
import dev.logdist.delivery.AnalyzerRequests;
import dev.logdist.delivery.ChunkKeeper;
import dev.logdist.delivery.Completions;
import dev.logdist.delivery.DeliveryStats;
import dev.logdist.delivery.NoRoomException;
import dev.logdist.delivery.OutagePolicy;
import dev.logdist.delivery.QueueDeliveryRoutes;
import dev.logdist.delivery.Undelivered;
import dev.logdist.model.Chunk;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.support.AsyncProcessorConverterHelper;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The spool buffer: every analyzer has a journal on disk and a bounded memory queue in front of its delivery. With
 * {@code write} or {@code fsync} durability (the default is {@code write}) a packet is written to its analyzers'
 * journals before its 202 and its chunks then take the memory queue, the fast path; a chunk that does not fit, or
 * whose delivery failed under hold, stays on disk and is replayed from there, and a 2xx marks its record done. With
 * {@code memory} durability chunks go to the memory queues only, and only what overflows or fails is written.
 */
public final class SpoolBuffer extends ServiceSupport implements Buffer, ChunkKeeper {

    private final List<AnalyzerSpec> analyzers;
    private final Journals journals;
    private final AnalyzerQueues queues;
    private final OutagePolicy policy;
    private final Completions completions;
    private final InMemory inMemory;
    private final PacketKeeper keeper;
    private final AsyncProcessor[] intakes;
    private final List<RoutesBuilder> routes;
    private final long maxBytes;

    public SpoolBuffer(DistributorConfig config, Journals journals, AnalyzerQueues queues, OutagePolicy policy,
                       Completions completions, DeliveryStats stats, AnalyzerHealth health, Executor waits) {
        this.analyzers = config.analyzers();
        this.journals = journals;
        this.queues = queues;
        this.policy = policy;
        this.completions = completions;
        this.maxBytes = config.outage().spoolMaxBytes();
        long[] last = new long[analyzers.size()];
        for (int i = 0; i < last.length; i++) {
            last[i] = journals.of(i).lastSeq();
        }
        this.inMemory = new InMemory(last);
        boolean writeAhead = config.outage().durability() != DistributorConfig.Durability.MEMORY;
        this.keeper = writeAhead ? new PacketKeeper(journals, queues, inMemory, config.delivery().ingestWaitQueue(),
                !policy.keepsOverflow()) : null;
        this.intakes = new AsyncProcessor[analyzers.size()];
        for (int i = 0; i < intakes.length; i++) {
            intakes[i] = writeAhead ? assignment(i) : queues.intake(i, waits, this::overflow);
        }
        List<String> names = analyzers.stream().map(AnalyzerSpec::name).toList();
        Processor delivered = this::delivered;
        Replayable replayable = writeAhead ? (a, seq) -> !inMemory.leaveAlone(a, seq) : (a, seq) -> true;
        this.routes = List.of(
                new QueueDeliveryRoutes(analyzers, config.delivery(), queues, delivered,
                        new Undelivered(names, policy, this, stats)),
                new SpoolReplay(names, config, journals, replayable, health, policy, this, delivered, stats));
    }

    /** Whether replay may send a journal record: not while the fast path has it. */
    @FunctionalInterface
    interface Replayable {
        boolean test(int analyzer, long seq);
    }

    /** With a journal, the balancer's target only notes the analyzer; the keep-packet step writes the whole packet. */
    private static AsyncProcessor assignment(int analyzer) {
        return AsyncProcessorConverterHelper.convert(exchange -> {
            int[] assigned = exchange.getProperty(ASSIGNMENT, int[].class);
            assigned[exchange.getProperty(Exchange.SPLIT_INDEX, 0, Integer.class)] = analyzer;
        });
    }

    /** After a delivery its analyzer answered: counted or parked, then its records are done. */
    private void delivered(Exchange exchange) throws IOException {
        completions.completed(exchange);
        int analyzer = exchange.getProperty(AnalyzerRequests.ANALYZER, Integer.class);
        List<Chunk> batch = AnalyzerRequests.batchOf(exchange);
        long[] seqs = new long[batch.size()];
        int n = 0;
        for (Chunk chunk : batch) {
            if (chunk.seq() != Chunk.NO_SEQ) {
                seqs[n++] = chunk.seq();
            }
        }
        if (n > 0) { // one update of the journal's index per delivery, not one per chunk; done before the replay may look
            journals.of(analyzer).done(n == seqs.length ? seqs : Arrays.copyOf(seqs, n));
            for (int i = 0; i < n; i++) {
                inMemory.remove(analyzer, seqs[i]);
            }
        }
    }

    /**
     * Memory durability: a chunk its analyzer's queue has no room for is written to the journal under hold; refused,
     * so that ingest answers 503 and the agent's retry is balanced afresh, under failover.
     */
    private void overflow(int analyzer, Chunk chunk) throws IOException {
        if (!policy.keepsOverflow()) {
            throw new NoRoomException("the queue of analyzer " + analyzers.get(analyzer).name() + " is full");
        }
        keep(analyzer, chunk);
    }

    /** A chunk its analyzer cannot take now: it waits in the journal (where it already is, with write-ahead). */
    @Override
    public void keep(int analyzer, Chunk chunk) throws IOException {
        if (chunk.seq() != Chunk.NO_SEQ) {
            inMemory.remove(analyzer, chunk.seq()); // the replay's from now on
        } else if (keeper != null) {
            if (!keeper.keep(analyzer, chunk)) { // through the keeper, which settles what the replay may take
                throw new IOException("the journal of analyzer " + analyzers.get(analyzer).name() + " did not take the chunk");
            }
        } else {
            journals.of(analyzer).append(List.of(chunk)).durable().join();
        }
    }

    @Override
    public boolean move(int from, int to, Chunk chunk) {
        if (keeper != null) {
            return keeper.move(from, to, chunk);
        }
        if (!queues.reroute(to, chunk.withSeq(Chunk.NO_SEQ))) {
            return false;
        }
        if (chunk.seq() != Chunk.NO_SEQ) {
            journals.of(from).done(chunk.seq());
        }
        return true;
    }

    @Override
    protected void doStart() throws Exception {
        journals.start();
        if (keeper != null) {
            keeper.start();
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (keeper != null) {
            keeper.stop();
        }
        journals.stop();
    }

    @Override
    public AsyncProcessor intake(int analyzer) {
        return intakes[analyzer];
    }

    @Override
    public String intakeId(int analyzer) {
        return "enqueue-" + analyzers.get(analyzer).name();
    }

    @Override
    public AsyncProcessor keeper() {
        return keeper != null ? keeper : AsyncProcessorConverterHelper.convert(exchange -> { });
    }

    @Override
    public List<RoutesBuilder> routes() {
        return routes;
    }

    @Override
    public boolean hasRoom() {
        return journals.hasRoom();
    }

    @Override
    public List<String> problems() {
        return journals.hasRoom() ? List.of() : List.of("journal full (spool.max-bytes) or disk nearly full (spool.min-free-bytes)");
    }

    @Override
    public long queued(int analyzer) {
        return queues.queued(analyzer);
    }

    /** Chunks on disk only: journal records not done that the memory queues do not have. */
    @Override
    public long spooled(int analyzer) {
        return Math.max(0, journals.of(analyzer).pendingRecords() - inMemory.size(analyzer));
    }

    @Override
    public Map<String, Object> details(int analyzer) {
        Journal journal = journals.of(analyzer);
        return Map.of("journalRecords", journal.pendingRecords(), "journalBytes", journal.pendingBytes());
    }

    @Override
    public void bindMetrics(MeterRegistry registry, List<String> names) {
        for (int i = 0; i < names.size(); i++) {
            Journal journal = journals.of(i);
            String n = names.get(i);
            Gauge.builder("logdist_journal_records", journal::pendingRecords).tag("analyzer", n)
                    .description("journal records not yet delivered (committed)").register(registry);
            Gauge.builder("logdist_journal_bytes", journal::pendingBytes).tag("analyzer", n)
                    .description("bytes of journal records not yet delivered").register(registry);
            Gauge.builder("logdist_journal_max_bytes", () -> maxBytes).tag("analyzer", n)
                    .description("the journal's cap (spool.max-bytes): past it ingest answers 503").register(registry);
            FunctionCounter.builder("logdist_journal_fsyncs", journal, j -> j.stats().fsyncs()).tag("analyzer", n)
                    .description("fsyncs of the journal").register(registry);
            FunctionCounter.builder("logdist_journal_fsync_seconds", journal, j -> j.stats().fsyncNanosTotal() / 1e9)
                    .tag("analyzer", n).description("time spent in the journal's fsyncs").register(registry);
            Gauge.builder("logdist_journal_fsync_max_seconds", journal, j -> j.stats().fsyncNanosMax() / 1e9)
                    .tag("analyzer", n).description("longest fsync of the journal").register(registry);
        }
    }
}
