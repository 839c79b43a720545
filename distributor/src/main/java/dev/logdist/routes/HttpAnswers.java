package dev.logdist.routes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.logdist.validation.PacketRejectedException;
import dev.logdist.validation.Violation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes every answer of the HTTP API as JSON with its status code; never a stack trace to the client. */
public final class HttpAnswers {

    private static final Logger LOG = LoggerFactory.getLogger(HttpAnswers.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonStringEncoder QUOTE = JsonStringEncoder.getInstance();

    private final dev.logdist.observe.Metrics metrics;

    public HttpAnswers(dev.logdist.observe.Metrics metrics) {
        this.metrics = metrics;
    }

    /** {@code 202} for an accepted packet. */
    public void accepted(Exchange exchange) {
        int accepted = exchange.getProperty(IngestProcessor.ACCEPTED, Integer.class);
        String packetId = new String(QUOTE.quoteAsString(exchange.getProperty(IngestProcessor.PACKET_ID, String.class)));
        answerJson(exchange, 202, "{\"packetId\":\"" + packetId + "\",\"accepted\":" + accepted + "}");
        metrics.answered(exchange, 202, accepted);
    }

    /** The 4xx a {@link PacketRejectedException} carries, with its violations. */
    public void rejected(Exchange exchange) {
        PacketRejectedException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, PacketRejectedException.class);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.getMessage());
        List<Violation> violations = e.violations();
        if (!violations.isEmpty()) {
            body.put("violations", violations);
        }
        answer(exchange, e.status(), body);
        metrics.answered(exchange, e.status(), 0);
        if (e.status() == 405) {
            exchange.getMessage().setHeader("Allow", "POST");
        } else if (e.status() == 401) {
            exchange.getMessage().setHeader("WWW-Authenticate", "Bearer");
        }
    }

    /** {@code 503} with {@code Retry-After} when the packet could not be taken for a reason of ours, not the client's. */
    public void unavailable(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (e instanceof IngestProcessor.NoRoomException) {
            LOG.debug("exchange {}: no room, answering 503", exchange.getExchangeId());
        } else {
            LOG.error("exchange {}: could not accept a packet, answering 503", exchange.getExchangeId(), e);
        }
        answer(exchange, 503, Map.of("error", "the distributor cannot take this packet now; retry later"));
        metrics.answered(exchange, 503, 0);
        exchange.getMessage().setHeader("Retry-After", "1");
    }

    /** Sets status, JSON content type and body; every other header goes, so no request header is echoed. */
    public static void answer(Exchange exchange, int status, Object body) {
        try {
            answerJson(exchange, status, JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an answer as JSON", e);
        }
    }

    /**
     * The body goes out as a String: platform-http writes a String in one call, while a byte[] would be turned into
     * an InputStream and pumped, which cost a fifth of the ingest CPU (bench/profiles.md).
     */
    private static void answerJson(Exchange exchange, int status, String json) {
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        out.setBody(json);
    }
}
