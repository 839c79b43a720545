package dev.logdist.delivery;

import dev.logdist.model.Chunk;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.camel.Exchange;

/**
 * The request to an analyzer and how its answer is judged, without state: one chunk goes as it is, several as
 * {@code {"packets": [...]}}. An answer is one of four {@link Verdict}s (docs/delivery.md has the table): taken (2xx),
 * a failure of the analyzer or of the way to it (counted by its breaker), a request too large (413) or a refusal of
 * the data (400, 422, ...); the last two are left to {@link BatchVerdicts}, which sends smaller parts to find what
 * can be taken. The chunks of the request travel in the {@link #BATCH} property, so whoever handles the outcome has them.
 */
public final class AnalyzerRequests {

    /** Exchange property: index of the analyzer a chunk is being delivered to. */
    public static final String ANALYZER = "logdist.analyzer";
    /** Exchange property: the chunks delivered together in one request (the body becomes their bytes). */
    public static final String BATCH = "logdist.batch";
    /** Exchange property: when the request to the analyzer started, in nanoseconds. */
    public static final String SEND_START = "logdist.sendStart";
    /** Exchange property: the 4xx status with which an analyzer refused the chunks (413: too large, else the data). */
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
        // a delivery sent again (a retry) is judged afresh
        exchange.removeProperty(REJECTED_STATUS);
        exchange.removeProperty(REJECTED_ANSWER);
        exchange.removeProperty(BatchVerdicts.REFUSALS);
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

    /** What an analyzer's answer says about the request. */
    public enum Verdict {
        /** 2xx: the analyzer took every chunk of the request. */
        TAKEN,
        /** The analyzer, or the way to it (a proxy, a path, a login), cannot take anything now: a failure. */
        UNAVAILABLE,
        /** 413: the request is too large for the analyzer or a proxy in front; smaller ones may pass. */
        TOO_LARGE,
        /** The analyzer refuses the data: at least one chunk of the request, maybe all. */
        REFUSED
    }

    /**
     * The verdict of a status. Only statuses that speak of the data refuse it (400, 422 and the 4xx not named here);
     * those about the route, the login, the method or the protocol are failures, like 5xx and 429: sending the same
     * chunks elsewhere or later may work, parking them would lose them for nothing.
     */
    public static Verdict verdictOf(int status) {
        if (status >= 200 && status < 300) {
            return Verdict.TAKEN;
        }
        if (status == 413) {
            return Verdict.TOO_LARGE;
        }
        if (status < 400 || status >= 500) {
            return Verdict.UNAVAILABLE; // 1xx and 3xx (redirects are not followed) too, and no status at all
        }
        return switch (status) {
            case 401, 403, 404, 405, 406, 407, 408, 410, 411, 414, 415, 417, 421, 425, 426, 428, 429, 431 ->
                    Verdict.UNAVAILABLE;
            default -> Verdict.REFUSED;
        };
    }

    /**
     * Inside the breaker: a 2xx passes; a failure throws, naming the status and the analyzer's URL (and where a
     * redirect points), so that the breaker counts it; 413 and refusals are recorded in {@link #REJECTED_STATUS} and
     * {@link #REJECTED_ANSWER} for {@link BatchVerdicts} and {@link Completions}: the analyzer answered, it is no outage.
     */
    public static void judge(Exchange exchange) {
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        Verdict verdict = verdictOf(status);
        if (verdict == Verdict.TAKEN) {
            return;
        }
        String answer = exchange.getMessage().getBody(String.class);
        if (verdict == Verdict.UNAVAILABLE) {
            String location = exchange.getMessage().getHeader("Location", String.class);
            throw new AnalyzerUnavailableException("HTTP " + status + " from " + urlOf(exchange)
                    + (location == null ? "" : " (Location: " + location + ")"));
        }
        exchange.setProperty(REJECTED_STATUS, status);
        exchange.setProperty(REJECTED_ANSWER, answer == null ? "" : answer.substring(0, Math.min(answer.length(), MAX_ANSWER_CHARS)));
    }

    /** The URL the request went to, without the endpoint's options. */
    private static String urlOf(Exchange exchange) {
        String endpoint = exchange.getProperty(Exchange.TO_ENDPOINT, "the analyzer", String.class);
        int options = endpoint.indexOf('?');
        // no user info (a password in the URL) in logs and views
        return (options < 0 ? endpoint : endpoint.substring(0, options)).replaceFirst("//[^/@]*@", "//");
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
