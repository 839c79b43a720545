package dev.logdist.http;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.logdist.delivery.NoRoomException;
import dev.logdist.ingest.IngestProcessor;
import dev.logdist.ingest.RefusalLog;
import dev.logdist.validation.PacketRejectedException;
import dev.logdist.validation.Refusal;
import dev.logdist.validation.Violation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The ingest route's answers: 202 for a packet kept, the client's 4xx with its violations, 503 for what is ours. */
public final class HttpAnswers {

    private static final Logger LOG = LoggerFactory.getLogger(HttpAnswers.class);
    private static final JsonStringEncoder QUOTE = JsonStringEncoder.getInstance();

    private final IngestMeters meters;
    private final RefusalLog refusals;

    public HttpAnswers(IngestMeters meters) {
        this(meters, new RefusalLog());
    }

    public HttpAnswers(IngestMeters meters, RefusalLog refusals) {
        this.meters = meters;
        this.refusals = refusals;
    }

    /**
     * {@code 202} for an accepted packet; in the per-message mode, with the messages (or records) refused by index,
     * when there are any.
     */
    @SuppressWarnings("unchecked")
    public void accepted(Exchange exchange) {
        IngestProcessor.Taken taken = IngestProcessor.taken(exchange);
        int accepted = taken.messages();
        String packetId = new String(QUOTE.quoteAsString(taken.packetId()));
        List<Refusal> refused = exchange.getProperty(IngestProcessor.REFUSED, List.class);
        if (refused == null || refused.isEmpty()) {
            JsonErrors.answerJson(exchange, 202, "{\"packetId\":\"" + packetId + "\",\"accepted\":" + accepted + "}");
        } else {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("packetId", taken.packetId());
            body.put("accepted", accepted);
            body.put("refused", refused);
            JsonErrors.answerJson(exchange, 202, JsonErrors.json(body));
            refusals.refused(agentOf(exchange), protocolOf(exchange), 202, refused.size() + " of "
                    + (accepted + refused.size()) + " refused", first(refused.get(0).violations()));
        }
        meters.answered(202, accepted, exchange.getProperty(IngestProcessor.INGEST_START, Long.class));
    }

    /** The 4xx a {@link PacketRejectedException} carries, with its violations. */
    public void rejected(Exchange exchange) {
        PacketRejectedException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, PacketRejectedException.class);
        JsonErrors.answer(exchange, e.status(), e.getMessage(), e.violations());
        refusals.refused(agentOf(exchange), protocolOf(exchange), e.status(), e.getMessage(),
                first(e.violations()));
        meters.answered(e.status(), 0, exchange.getProperty(IngestProcessor.INGEST_START, Long.class));
        if (e.status() == 405) {
            exchange.getMessage().setHeader("Allow", "POST");
        }
    }

    /** Who sent the request: the agent it named, else its peer address. */
    private static String agentOf(Exchange exchange) {
        String agent = exchange.getProperty(IngestProcessor.AGENT, String.class);
        if (agent != null) {
            return agent;
        }
        String peer = exchange.getProperty(IngestProcessor.PEER, String.class);
        return peer == null ? null : "peer " + peer;
    }

    private static Violation first(List<Violation> violations) {
        return violations.isEmpty() ? null : violations.get(0);
    }

    private static String protocolOf(Exchange exchange) {
        String protocol = exchange.getProperty(IngestProcessor.PROTOCOL, String.class);
        return protocol == null ? "/logs" : protocol;
    }

    /** {@code 503} with {@code Retry-After} when the packet could not be taken for a reason of ours, not the client's. */
    public void unavailable(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (e instanceof NoRoomException) {
            LOG.debug("exchange {}: no room, answering 503", exchange.getExchangeId());
        } else {
            LOG.error("exchange {}: could not accept a packet, answering 503", exchange.getExchangeId(), e);
        }
        JsonErrors.answer(exchange, 503, "the distributor cannot take this packet now; retry later", List.of());
        meters.answered(503, 0, exchange.getProperty(IngestProcessor.INGEST_START, Long.class));
        exchange.getMessage().setHeader("Retry-After", "1");
    }
}
