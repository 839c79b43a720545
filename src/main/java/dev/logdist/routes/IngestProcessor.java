package dev.logdist.routes;

import dev.logdist.delivery.PacketChunker;
import dev.logdist.model.Chunk;
import dev.logdist.model.LogPacket;
import dev.logdist.validation.PacketParser;
import dev.logdist.validation.RequestGate;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Turns a {@code POST /logs} request into the chunks to balance: checks the request, validates every message,
 * assigns a packet id when the agent sent none. Request headers are dropped here so that none of them leaks into
 * the response or into the deliveries to analyzers.
 */
public final class IngestProcessor implements Processor {

    /** Exchange property: the packet's id, as answered to the client. */
    public static final String PACKET_ID = "logdist.packetId";
    /** Exchange property: how many messages the packet holds. */
    public static final String ACCEPTED = "logdist.accepted";

    private final RequestGate gate;
    private final PacketParser parser;
    private final PacketChunker chunker;

    public IngestProcessor(RequestGate gate, PacketParser parser, PacketChunker chunker) {
        this.gate = gate;
        this.parser = parser;
        this.chunker = chunker;
    }

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        String method = in.getHeader(Exchange.HTTP_METHOD, String.class);
        String contentType = in.getHeader(Exchange.CONTENT_TYPE, String.class);
        String contentEncoding = in.getHeader("Content-Encoding", String.class);
        byte[] body = in.getBody(byte[].class);
        in.removeHeaders("*");

        LogPacket packet = parser.parse(gate.open(method, contentType, contentEncoding, body));
        String packetId = PacketChunker.packetIdOf(packet);
        List<Chunk> chunks = chunker.chunks(packet, packetId);
        exchange.setProperty(PACKET_ID, packetId);
        exchange.setProperty(ACCEPTED, packet.messages().size());
        in.setBody(chunks);
    }
}
