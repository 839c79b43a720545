package dev.logdist.delivery;

import dev.logdist.model.Chunk;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.camel.Exchange;

/**
 * The request to an analyzer and how its answer is judged, without state: one chunk goes as it is, several as
 * {@code {"packets": [...]}}; 2xx is taken, 5xx and 429 are failures of the analyzer, any other status a refusal of
 * the chunks. The chunks of the request travel in the {@link #BATCH} property, so whoever handles the outcome has them.
 */
public final class AnalyzerRequests {

    /** Exchange property: index of the analyzer a chunk is being delivered to. */
    public static final String ANALYZER = "logdist.analyzer";
    /** Exchange property: the chunks delivered together in one request (the body becomes their bytes). */
    public static final String BATCH = "logdist.batch";
    /** Exchange property: when the request to the analyzer started, in nanoseconds. */
    public static final String SEND_START = "logdist.sendStart";
    /** Exchange property: the 4xx status with which an analyzer refused the chunks. */
    public static final String REJECTED_STATUS = "logdist.rejectedStatus";
    /** Exchange property: the answer that came with the refusal. */
    public static final String REJECTED_ANSWER = "logdist.rejectedAnswer";

    private static final byte[] BATCH_OPEN = "{\"packets\":[".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_ANSWER_CHARS = 2000;

    private AnalyzerRequests() {
    }

    /**
     * Turns the chunks of a delivery (a {@code Chunk} or a {@code List<Chunk>} body) into the HTTP request for its
     * analyzer; no header of the agent's request goes along.
     */
    public static void toRequest(Exchange exchange) {
        List<Chunk> batch = batchOf(exchange);
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
        return Arrays.copyOf(out, at);
    }

    /** Inside the breaker: 2xx is success, 5xx and 429 are failures, any other 4xx is a refusal of these chunks. */
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
        exchange.setProperty(REJECTED_ANSWER, answer == null ? "" : answer.substring(0, Math.min(answer.length(), MAX_ANSWER_CHARS)));
    }

    /** The chunks of a delivery: from {@link #BATCH} once the request was made, else from the body. */
    @SuppressWarnings("unchecked")
    public static List<Chunk> batchOf(Exchange exchange) {
        List<Chunk> batch = exchange.getProperty(BATCH, List.class);
        if (batch != null) {
            return batch;
        }
        Object body = exchange.getMessage().getBody();
        return body instanceof Chunk one ? List.of(one) : (List<Chunk>) body;
    }
}
