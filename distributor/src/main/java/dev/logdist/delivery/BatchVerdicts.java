package dev.logdist.delivery;

import dev.logdist.model.Chunk;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;

/**
 * The last step of a {@code send-<name>} route: a request of several chunks answered 413 (too large) or refused (400,
 * 422, ...) is sent again as two halves through the same route, and those halves as halves in turn, down to single
 * chunks; only a chunk that is still refused or too large on its own ends as a {@link Refusal}, the rest is taken.
 * A batch of n chunks with k refused costs at most 2k requests per halving, O(k log n); a batch that is merely too
 * large, about twice the requests of batches that fit.
 * <p>
 * A batch is settled whole or not at all: when a part fails (the analyzer or the way to it went away meanwhile), the
 * send fails with that part's exception as if it had never been split, and the caller's retry, spool or failover
 * takes all its chunks, so that none is counted twice. Parts it already delivered are delivered again then (delivery
 * is at least once): the analyzer counts them as duplicates, or under failover another analyzer takes them too.
 */
public final class BatchVerdicts implements Processor {

    /** Exchange property: the chunks of {@link AnalyzerRequests#BATCH} refused on their own, and how. */
    public static final String REFUSALS = "logdist.refusals";

    /** How the analyzer answered a chunk it would not take on its own. */
    public record Refusal(int status, String answer) {
    }

    private final ProducerTemplate template;
    private final String sendUri;

    public BatchVerdicts(ProducerTemplate template, String sendUri) {
        this.template = template;
        this.sendUri = sendUri;
    }

    @Override
    public void process(Exchange exchange) {
        Integer status = exchange.getProperty(AnalyzerRequests.REJECTED_STATUS, Integer.class);
        List<Chunk> batch = AnalyzerRequests.batchOf(exchange);
        if (status == null || batch.size() < 2) {
            return; // taken, or one chunk: nothing smaller can be sent
        }
        Map<Chunk, Refusal> refusals = new IdentityHashMap<>();
        int half = batch.size() / 2;
        for (List<Chunk> part : List.of(batch.subList(0, half), batch.subList(half, batch.size()))) {
            Exchange sent = template.send(sendUri, e -> {
                e.setProperty(AnalyzerRequests.ANALYZER, exchange.getProperty(AnalyzerRequests.ANALYZER));
                e.getMessage().setBody(part.size() == 1 ? part.get(0) : List.copyOf(part));
            });
            if (sent.getException() != null) {
                exchange.setException(sent.getException());
                return;
            }
            refusals.putAll(refusals(sent));
        }
        exchange.removeProperty(AnalyzerRequests.REJECTED_STATUS);
        exchange.removeProperty(AnalyzerRequests.REJECTED_ANSWER);
        exchange.setProperty(REFUSALS, refusals);
    }

    /**
     * The chunks of the exchange's batch the analyzer refused, each with its answer: those its parts refused once
     * settled; every chunk of a request refused whole and not split (one chunk); none when it was taken.
     */
    @SuppressWarnings("unchecked")
    public static Map<Chunk, Refusal> refusals(Exchange exchange) {
        Map<Chunk, Refusal> settled = exchange.getProperty(REFUSALS, Map.class);
        if (settled != null) {
            return settled;
        }
        Integer status = exchange.getProperty(AnalyzerRequests.REJECTED_STATUS, Integer.class);
        if (status == null) {
            return Map.of();
        }
        Refusal refusal = new Refusal(status, exchange.getProperty(AnalyzerRequests.REJECTED_ANSWER, "", String.class));
        Map<Chunk, Refusal> all = new IdentityHashMap<>();
        AnalyzerRequests.batchOf(exchange).forEach(c -> all.put(c, refusal));
        return all;
    }
}
