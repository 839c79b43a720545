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
    /** Exchange property: the packet, once its ids are claimed in the duplicate window. */
    static final String CLAIMED = "logdist.claimed";
    /** Exchange property: how many messages the packet holds. */
    public static final String ACCEPTED = "logdist.accepted";
    /** Exchange property: when ingest started on this request, in nanoseconds. */
    public static final String INGEST_START = "logdist.ingestStart";
    /** Exchange property: the protocol the packet came in as ({@link #NATIVE} for {@code POST /logs} packets). */
    public static final String PROTOCOL = "logdist.protocol";
    /** The protocol name of native packets. */
    public static final String NATIVE = "native";

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
        take(exchange, parser.parse(gate.open(method, contentType, contentEncoding, body)), NATIVE);
    }

    /**
     * Makes a validated packet, from whatever protocol it came in as, what the balancer routes: checks there is room,
     * gives it its id, claims the id in the duplicate window, and leaves its chunks as the body (a {@link Chunk}, or a
     * list of them) for the {@code take-packet} route. The protocols' intakes call this after they have read and
     * translated their request into a packet.
     */
    public void take(Exchange exchange, LogPacket packet, String protocol) {
        if (exchange.getProperty(INGEST_START) == null) {
            exchange.setProperty(INGEST_START, System.nanoTime());
        }
        exchange.setProperty(PROTOCOL, protocol);
        if (!buffer.hasRoom()) {
            throw new NoRoomException("the spool is full or the disk is nearly full");
        }
        String packetId = PacketChunker.packetIdOf(packet);
        exchange.setProperty(PACKET_ID, packetId);
        exchange.setProperty(ACCEPTED, packet.messageCount());
        // a packet taken within the window is acknowledged again and not delivered twice; one being taken right now
        // by another request may still fail there, so its re-send is told to retry
        PacketWindow.Claim claim = window.claim(packet.agentId(), packet.packetId());
        if (claim == PacketWindow.Claim.IN_FLIGHT) {
            throw new NoRoomException("packet " + packetId + " of " + packet.agentId() + " is being taken by another request");
        }
        if (claim == PacketWindow.Claim.NEW) {
            exchange.setProperty(CLAIMED, packet);
        }
        List<Chunk> chunks = claim == PacketWindow.Claim.ACCEPTED ? List.of() : chunker.chunks(packet, packetId);
        exchange.setProperty(Buffer.ASSIGNMENT, new int[chunks.size()]);
        // one chunk (the usual case) travels as itself and skips the splitter
        exchange.getMessage().setBody(chunks.size() == 1 ? chunks.get(0) : chunks);
    }

    /**
     * After every chunk of a packet is kept: its ids stay claimed for the duplicate window. An id the distributor
     * assigned is never claimed: the agent that would re-send the packet never learnt it.
     */
    public void accepted(Exchange exchange) {
        LogPacket claimed = exchange.getProperty(CLAIMED, LogPacket.class);
        if (claimed != null) {
            window.accepted(claimed.agentId(), claimed.packetId());
        }
    }

    /** The packet could not be kept (the agent gets 503): its claim goes, so its re-send is taken afresh. */
    public void refused(Exchange exchange) {
        LogPacket claimed = exchange.getProperty(CLAIMED, LogPacket.class);
        if (claimed != null) {
            window.release(claimed.agentId(), claimed.packetId());
        }
    }
}
