package dev.logdist.ingest;

import dev.logdist.buffer.Buffer;
import dev.logdist.delivery.NoRoomException;
import dev.logdist.model.Chunk;
import dev.logdist.model.LogPacket;
import dev.logdist.validation.PacketParser;
import dev.logdist.validation.RequestGate;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Turns a {@code POST /logs} request into what to balance, a {@link Chunk} or a list of them: checks the request,
 * validates every message, assigns a packet id when the agent sent none. Request headers are dropped here so that none
 * of them leaks into the response or into the deliveries to analyzers. (Its token was checked by the HTTP guards.)
 */
public final class IngestProcessor implements Processor {

    /** Exchange property: the packet's id, as answered to the client. */
    public static final String PACKET_ID = "logdist.packetId";
    /** Exchange property: the packet id the agent sent, absent when the distributor assigned one. */
    static final String AGENT_PACKET_ID = "logdist.agentPacketId";
    /** Exchange property: how many messages the packet holds. */
    public static final String ACCEPTED = "logdist.accepted";
    /** Exchange property: when ingest started on this request, in nanoseconds. */
    public static final String INGEST_START = "logdist.ingestStart";

    private final RequestGate gate;
    private final PacketParser parser;
    private final PacketChunker chunker;
    private final PacketWindow window;
    private final Buffer buffer;

    public IngestProcessor(RequestGate gate, PacketParser parser, PacketChunker chunker, PacketWindow window, Buffer buffer) {
        this.gate = gate;
        this.parser = parser;
        this.chunker = chunker;
        this.window = window;
        this.buffer = buffer;
    }

    @Override
    public void process(Exchange exchange) {
        exchange.setProperty(INGEST_START, System.nanoTime());
        Message in = exchange.getMessage();
        String method = in.getHeader(Exchange.HTTP_METHOD, String.class);
        String contentType = in.getHeader(Exchange.CONTENT_TYPE, String.class);
        String contentEncoding = in.getHeader("Content-Encoding", String.class);
        byte[] body = in.getBody(byte[].class);
        in.removeHeaders("*");

        LogPacket packet = parser.parse(gate.open(method, contentType, contentEncoding, body));
        if (!buffer.hasRoom()) {
            throw new NoRoomException("the spool is full or the disk is nearly full");
        }
        String packetId = PacketChunker.packetIdOf(packet);
        exchange.setProperty(PACKET_ID, packetId);
        exchange.setProperty(AGENT_PACKET_ID, packet.packetId());
        exchange.setProperty(ACCEPTED, packet.messageCount());
        // a packet id accepted within the window is acknowledged again and not delivered twice
        List<Chunk> chunks = window.contains(packet.packetId()) ? List.of() : chunker.chunks(packet, packetId);
        // one chunk (the usual case) travels as itself and skips the splitter
        in.setBody(chunks.size() == 1 ? chunks.get(0) : chunks);
    }

    /**
     * After every chunk of a packet is queued: remember the agent's packet id for the duplicate window. An id the
     * distributor assigned is not remembered: the agent that would re-send the packet never learnt it.
     */
    public void accepted(Exchange exchange) {
        String agentId = exchange.getProperty(AGENT_PACKET_ID, String.class);
        if (agentId != null) {
            window.remember(agentId);
        }
    }
}
