package dev.logdist.http;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.logdist.delivery.NoRoomException;
import dev.logdist.ingest.IngestProcessor;
import dev.logdist.validation.PacketRejectedException;
import java.util.List;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The ingest route's answers: 202 for a packet kept, the client's 4xx with its violations, 503 for what is ours. */
public final class HttpAnswers {

    private static final Logger LOG = LoggerFactory.getLogger(HttpAnswers.class);
    private static final JsonStringEncoder QUOTE = JsonStringEncoder.getInstance();

    private final IngestMeters meters;

    public HttpAnswers(IngestMeters meters) {
        this.meters = meters;
    }

    /** {@code 202} for an accepted packet. */
    public void accepted(Exchange exchange) {
        int accepted = exchange.getProperty(IngestProcessor.ACCEPTED, Integer.class);
        String packetId = new String(QUOTE.quoteAsString(exchange.getProperty(IngestProcessor.PACKET_ID, String.class)));
        JsonErrors.answerJson(exchange, 202, "{\"packetId\":\"" + packetId + "\",\"accepted\":" + accepted + "}");
        meters.answered(202, accepted, exchange.getProperty(IngestProcessor.INGEST_START, Long.class));
    }

    /** The 4xx a {@link PacketRejectedException} carries, with its violations. */
    public void rejected(Exchange exchange) {
        PacketRejectedException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, PacketRejectedException.class);
        JsonErrors.answer(exchange, e.status(), e.getMessage(), e.violations());
        meters.answered(e.status(), 0, exchange.getProperty(IngestProcessor.INGEST_START, Long.class));
        if (e.status() == 405) {
            exchange.getMessage().setHeader("Allow", "POST");
        }
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
