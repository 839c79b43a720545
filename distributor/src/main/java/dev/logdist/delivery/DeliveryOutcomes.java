package dev.logdist.delivery;

import dev.logdist.balancer.MessageLedger;
import dev.logdist.config.DistributorConfig.OutagePolicy;
import dev.logdist.model.Chunk;
import dev.logdist.spool.Spools;
import java.io.IOException;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to a chunk after a delivery attempt: counted as delivered, parked as rejected, or, once its retries
 * are spent, re-routed to another analyzer (failover) or kept in its analyzer's spool (hold, or nobody is up).
 */
public final class DeliveryOutcomes {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryOutcomes.class);

    /** Exchange property: index of the analyzer a chunk is being delivered to. */
    public static final String ANALYZER = "logdist.analyzer";
    /** Exchange property: the chunks delivered together in one request (the body becomes their bytes). */
    public static final String BATCH = "logdist.batch";
    /** Exchange property: the 4xx status with which an analyzer refused a chunk. */
    public static final String REJECTED_STATUS = "logdist.rejectedStatus";
    /** Exchange property: the answer that came with the refusal. */
    public static final String REJECTED_ANSWER = "logdist.rejectedAnswer";

    private final List<String> names;
    private final OutagePolicy policy;
    private final DeliveryStats stats;
    private final Spools spools;
    private final RejectedParking rejected;
    private final MessageLedger ledger;
    private final AnalyzerHealth health;
    private final IntFunction<String> queueOf;
    private ProducerTemplate template;
    /** Per analyzer, whether a replay is under way (written by that analyzer's single replay timer thread only). */
    private final boolean[] replaying;
    private dev.logdist.observe.Metrics metrics;
    private QueueBudget budget;

    public DeliveryOutcomes(List<String> names, OutagePolicy policy, DeliveryStats stats, Spools spools,
                            RejectedParking rejected, MessageLedger ledger, AnalyzerHealth health, IntFunction<String> queueOf) {
        this.names = List.copyOf(names);
        this.replaying = new boolean[names.size()];
        this.policy = policy;
        this.stats = stats;
        this.spools = spools;
        this.rejected = rejected;
        this.ledger = ledger;
        this.health = health;
        this.queueOf = queueOf;
    }

    public void setTemplate(ProducerTemplate template) {
        this.template = template;
    }

    public void setMetrics(dev.logdist.observe.Metrics metrics) {
        this.metrics = metrics;
    }

    /** The queues' byte budget: a chunk re-routed into another analyzer's queue counts against it, as any other. */
    public void setBudget(QueueBudget budget) {
        this.budget = budget;
    }

    /** Exchange property: when the request to the analyzer started, in nanoseconds. */
    public static final String SEND_START = "logdist.sendStart";

    private static final byte[] BATCH_OPEN = "{\"packets\":[".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * Turns the chunks of a delivery (a {@code Chunk} or a {@code List<Chunk>} body) into the HTTP request for its
     * analyzer: one packet as it is, several as {@code {"packets": [...]}}; no header of the agent's request.
     */
    @SuppressWarnings("unchecked")
    public static void toRequest(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        List<Chunk> batch = body instanceof Chunk one ? List.of(one) : (List<Chunk>) body;
        exchange.setProperty(BATCH, batch);
        exchange.setProperty(SEND_START, System.nanoTime());
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(batch.size() == 1 ? batch.get(0).json() : coalesce(batch));
    }

    static byte[] coalesce(List<Chunk> batch) {
        int size = BATCH_OPEN.length + 2 + batch.size();
        for (Chunk c : batch) {
            size += c.json().length;
        }
        byte[] out = new byte[size];
        System.arraycopy(BATCH_OPEN, 0, out, 0, BATCH_OPEN.length);
        int at = BATCH_OPEN.length;
        for (int i = 0; i < batch.size(); i++) {
            if (i > 0) {
                out[at++] = ',';
            }
            byte[] json = batch.get(i).json();
            System.arraycopy(json, 0, out, at, json.length);
            at += json.length;
        }
        out[at++] = ']';
        out[at++] = '}';
        return java.util.Arrays.copyOf(out, at);
    }

    /** Inside the breaker: 2xx is success, 5xx and 429 are failures, any other 4xx is a refusal of this chunk. */
    public static void judge(Exchange exchange) {
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (status >= 200 && status < 300) {
            return;
        }
        String answer = exchange.getMessage().getBody(String.class);
        if (status == 429 || status >= 500 || status < 200) {
            throw new AnalyzerUnavailableException("analyzer answered HTTP " + status);
        }
        exchange.setProperty(REJECTED_STATUS, status);
        exchange.setProperty(REJECTED_ANSWER, answer == null ? "" : answer.substring(0, Math.min(answer.length(), 2000)));
    }

    /** After a send that did not fail: count the deliveries, or park the refused chunks. */
    public void completed(Exchange exchange) throws IOException {
        int analyzer = exchange.getProperty(ANALYZER, Integer.class);
        Integer status = exchange.getProperty(REJECTED_STATUS, Integer.class);
        Long start = exchange.getProperty(SEND_START, Long.class);
        if (metrics != null && start != null) {
            metrics.delivered(analyzer, System.nanoTime() - start);
        }
        for (Chunk chunk : batchOf(exchange)) {
            if (status != null) {
                rejected.park(names.get(analyzer), chunk, status, exchange.getProperty(REJECTED_ANSWER, String.class));
                stats.rejected(analyzer);
            } else {
                stats.delivered(analyzer, chunk.messages());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Chunk> batchOf(Exchange exchange) {
        List<Chunk> batch = exchange.getProperty(BATCH, List.class);
        if (batch != null) {
            return batch;
        }
        Object body = exchange.getMessage().getBody();
        return body instanceof Chunk one ? List.of(one) : (List<Chunk>) body;
    }

    /**
     * A chunk its analyzer's queue has no room for (over its byte budget, or full past the offer timeout): kept in
     * the spool under the hold policy; refused, so that ingest answers 503, under failover.
     */
    public void overflow(int analyzer, Chunk chunk) throws IOException {
        if (policy != OutagePolicy.HOLD) {
            throw new IllegalStateException("the queue of analyzer " + names.get(analyzer) + " is full");
        }
        spools.of(analyzer).append(chunk);
        LOG.debug("queue of {} full: chunk {} spooled", names.get(analyzer), chunk.chunkId());
    }

    /** The dead-letter channel's end: a chunk whose retries are spent goes to another analyzer, or to the spool. */
    public void undelivered(Exchange exchange) {
        int analyzer = exchange.getProperty(ANALYZER, Integer.class);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        stats.failedAttempt(analyzer);
        for (Chunk chunk : batchOf(exchange)) {
            if (policy == OutagePolicy.FAILOVER) {
                int other = ledger.assign(chunk.messages(), analyzer);
                if (other >= 0 && other != analyzer && health.available(other) && reroute(other, chunk)) {
                    LOG.debug("chunk {} failed on {} ({}); re-routed to {}", chunk.chunkId(), names.get(analyzer), cause,
                            names.get(other));
                    stats.rerouted(analyzer);
                    continue;
                }
            }
            spool(analyzer, chunk, cause);
        }
    }

    /**
     * Queues the chunk for analyzer {@code other} within its byte budget (which its delivery releases, as for every
     * queued chunk); false, nothing queued, when it has no room.
     */
    private boolean reroute(int other, Chunk chunk) {
        long bytes = chunk.json().length;
        if (budget != null && !budget.tryReserve(other, bytes)) {
            return false;
        }
        try {
            template.sendBody(queueOf.apply(other), chunk);
            return true;
        } catch (RuntimeException e) {
            if (budget != null) {
                budget.release(other, bytes);
            }
            return false;
        }
    }

    private void spool(int analyzer, Chunk chunk, Exception cause) {
        try {
            spools.of(analyzer).append(chunk);
            LOG.debug("chunk {} for {} spooled: {}", chunk.chunkId(), names.get(analyzer), String.valueOf(cause));
        } catch (IOException | RuntimeException e) {
            stats.lost(analyzer);
            LOG.error("LOST chunk {} ({} messages) for analyzer {}: it could not be delivered ({}) nor spooled ({})",
                    chunk.chunkId(), chunk.messages(), names.get(analyzer), cause, e.toString());
        }
    }

    /**
     * Sends up to {@code batch} of the analyzer's oldest spooled chunks through its breaker, in order, stopping at the
     * first failure; returns how many left the spool. Does nothing while the analyzer is DOWN.
     */
    public int replay(int analyzer, int batch) throws IOException {
        if (health.state(analyzer) == AnalyzerHealth.State.DOWN || spools.of(analyzer).pendingRecords() == 0) {
            return 0;
        }
        List<Chunk> chunks = spools.of(analyzer).peek(batch);
        if (!replaying[analyzer]) {
            replaying[analyzer] = true;
            LOG.info("replaying the spool of {}: {} chunks waiting", names.get(analyzer), spools.of(analyzer).pendingRecords());
        }
        Exchange result = template.send("direct:send-" + names.get(analyzer), e -> {
            e.setProperty(ANALYZER, analyzer);
            e.getMessage().setBody(chunks);
        });
        if (result.getException() != null) {
            stats.failedAttempt(analyzer);
            return 0;
        }
        completed(result);
        int done = chunks.size();
        if (done > 0) {
            spools.of(analyzer).acknowledge(done);
            long left = spools.of(analyzer).pendingRecords();
            if (left == 0) {
                replaying[analyzer] = false;
                LOG.info("spool of {} fully replayed", names.get(analyzer));
            } else {
                LOG.debug("replayed {} spooled chunks to {}; {} left", done, names.get(analyzer), left);
            }
        }
        return done;
    }
}
