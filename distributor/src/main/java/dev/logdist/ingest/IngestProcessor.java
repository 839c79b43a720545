package dev.logdist.ingest;

import dev.logdist.balancer.ProtocolShares;
import dev.logdist.buffer.Buffer;
import dev.logdist.delivery.NoRoomException;
import dev.logdist.model.Chunk;
import dev.logdist.model.LogPacket;
import dev.logdist.validation.PacketParser;
import java.util.List;
import org.apache.camel.Exchange;

/**
 * Turns a validated packet, from whatever protocol's intake read it, into what to balance, a {@link Chunk} or a list
 * of them: checks there is room, assigns a packet id when the agent sent none, claims it in the duplicate window. The
 * intakes drop the request headers before they call it, so that none leaks into the response or into the deliveries
 * to analyzers. (Their tokens were checked by the HTTP guards.)
 */
public final class IngestProcessor {

    /** Exchange property: the {@link Taken} packet, for its answer and for {@link #accepted} or {@link #refused}. */
    static final String TAKEN = "logdist.taken";
    /** Exchange property: when ingest started on this request, in nanoseconds. */
    public static final String INGEST_START = "logdist.ingestStart";
    /** Exchange property: the protocol the packet came in as ({@link #NATIVE} for {@code POST /logs} packets). */
    public static final String PROTOCOL = ProtocolShares.PROPERTY;
    /** The protocol name of native packets. */
    public static final String NATIVE = "native";
    /** Exchange property: the client's address, as the HTTP engine saw it (names an agent that names itself nowhere). */
    public static final String PEER = "logdist.peer";
    /** Exchange property: who sent the request, for the refusal log: its agent id, else its peer address. */
    public static final String AGENT = "logdist.agent";
    /** Exchange property: the messages (or items) refused while the rest was taken, a list of {@code Refusal}s. */
    public static final String REFUSED = "logdist.refused";
    /** Exchange property: {@code true} when the body is one {@link Chunk}, not a list of them. */
    public static final String ONE_CHUNK = "logdist.oneChunk";

    /**
     * What {@link #take} made of a packet: its id as answered to the client, how many messages it holds, the packet
     * when its ids are claimed in the duplicate window (else null), and whether its messages are new (not a re-send
     * of a packet taken before). One exchange property, not four: each costs a put into the exchange's concurrent
     * map, and past twelve properties the map grows.
     */
    public record Taken(String packetId, int messages, LogPacket claimed, boolean fresh) {
    }

    private final PacketParser parser;
    private final PacketChunker chunker;
    private final PacketWindow window;
    private final Buffer buffer;
    private final ProtocolCounter counter;
    private final boolean partialByDefault;

    /**
     * {@code counter} counts the messages taken by protocol; {@code partialByDefault}: whether a native packet is
     * taken message by message unless its request says otherwise.
     */
    public IngestProcessor(PacketParser parser, PacketChunker chunker, PacketWindow window, Buffer buffer,
                           ProtocolCounter counter, boolean partialByDefault) {
        this.parser = parser;
        this.chunker = chunker;
        this.window = window;
        this.buffer = buffer;
        this.counter = counter;
        this.partialByDefault = partialByDefault;
    }

    /** Whether a native packet is taken message by message when its request does not say. */
    public boolean partialByDefault() {
        return partialByDefault;
    }

    /**
     * Takes the native packet in {@code json} (the request's body, opened): whole or nothing, or in the per-message
     * mode its valid messages, the others left in {@link #REFUSED} for the answer.
     */
    public void takeNative(Exchange exchange, byte[] json, boolean partial) {
        if (!partial) {
            take(exchange, parser.parse(json), NATIVE);
            return;
        }
        PacketParser.Parsed parsed = parser.parseEach(json);
        if (!parsed.refused().isEmpty()) {
            exchange.setProperty(REFUSED, parsed.refused());
        }
        take(exchange, parsed.packet(), NATIVE);
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
        if (exchange.getProperty(AGENT) == null) {
            exchange.setProperty(AGENT, packet.agentId());
        }
        if (!buffer.hasRoom()) {
            throw new NoRoomException("the spool is full or the disk is nearly full");
        }
        String packetId = PacketChunker.packetIdOf(packet);
        // a packet taken within the window is acknowledged again and not delivered twice; one being taken right now
        // by another request may still fail there, so its re-send is told to retry
        PacketWindow.Claim claim = window.claim(packet.agentId(), packet.packetId());
        if (claim == PacketWindow.Claim.IN_FLIGHT) {
            throw new NoRoomException("packet " + packetId + " of " + packet.agentId() + " is being taken by another request");
        }
        boolean again = claim == PacketWindow.Claim.ACCEPTED;
        // set before the chunks are cut: should that fail, refused() still finds the claim to release
        exchange.setProperty(TAKEN, new Taken(packetId, packet.messageCount(),
                claim == PacketWindow.Claim.NEW ? packet : null, !again));
        List<Chunk> chunks = again ? List.of() : chunker.chunks(packet, packetId);
        exchange.setProperty(Buffer.ASSIGNMENT, new int[chunks.size()]);
        // one chunk (the usual case) travels as itself and skips the splitter
        boolean one = chunks.size() == 1;
        exchange.setProperty(ONE_CHUNK, one);
        exchange.getMessage().setBody(one ? chunks.get(0) : chunks);
    }

    /**
     * After every chunk of a packet is kept: its ids stay claimed for the duplicate window. An id the distributor
     * assigned is never claimed: the agent that would re-send the packet never learnt it.
     */
    public void accepted(Exchange exchange) {
        Taken taken = taken(exchange);
        if (taken == null) {
            return; // nothing was taken: a bulk request whose every item was refused
        }
        if (taken.claimed() != null) {
            window.accepted(taken.claimed().agentId(), taken.claimed().packetId());
        }
        if (taken.fresh()) {
            counter.taken(exchange.getProperty(PROTOCOL, String.class), taken.messages());
        }
    }

    /** The packet could not be kept (the agent gets 503): its claim goes, so its re-send is taken afresh. */
    public void refused(Exchange exchange) {
        Taken taken = exchange.getProperty(TAKEN, Taken.class);
        if (taken != null && taken.claimed() != null) {
            window.release(taken.claimed().agentId(), taken.claimed().packetId());
        }
    }

    /** What {@link #take} made of the exchange's packet, or null when it took none. */
    public static Taken taken(Exchange exchange) {
        return exchange.getProperty(TAKEN, Taken.class);
    }
}
