package dev.logdist.lines;

import dev.logdist.config.DistributorConfig;
import dev.logdist.ingest.IngestProcessor;
import dev.logdist.ingest.PartialMode;
import dev.logdist.validation.JsonGuard;
import dev.logdist.validation.PacketParser;
import dev.logdist.validation.PacketRejectedException;
import dev.logdist.validation.RequestGate;
import dev.logdist.validation.Violation;
import java.time.Instant;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * {@code POST /logs}: a native packet, or JSON lines ({@code application/x-ndjson}), or a JSON array of records, or
 * (with {@code application/json}, as Fluent Bit sends its lines) records that are not a packet: an object with neither
 * {@code agentId} nor {@code messages}. Native packets go on exactly as before; records become one native packet of the
 * agent named by {@code X-Agent-Id}, else by the client's address, taken message by message unless the request or the
 * setting says whole. (The bearer token, one for all agents, names nobody.)
 */
public final class LinesIntake implements Processor {

    /** The protocol name of JSON lines and arrays of records. */
    public static final String LINES = "lines";
    static final String AGENT_HEADER = "X-Agent-Id";

    private final RequestGate gate;
    private final IngestProcessor ingest;
    private final Records records;
    private final LinesPacket packets;
    private final boolean partialByDefault;
    private final BodyShapes shapes;

    LinesIntake(RequestGate gate, IngestProcessor ingest, Records records, LinesPacket packets,
                boolean partialByDefault, JsonGuard guard) {
        this.gate = gate;
        this.ingest = ingest;
        this.records = records;
        this.packets = packets;
        this.partialByDefault = partialByDefault;
        this.shapes = new BodyShapes(guard.factory());
    }

    /**
     * The intake of {@code /logs}: {@code parser} validates the packets records are written as, {@code guard} sets the
     * JSON limits records are read with, {@code names} maps their keys.
     */
    public static LinesIntake of(RequestGate gate, IngestProcessor ingest, PacketParser parser, JsonGuard guard,
                                 DistributorConfig.Lines names, DistributorConfig.Limits limits) {
        RecordMapping mapping = new RecordMapping(names, limits.maxAttributes(), Instant::now);
        return new LinesIntake(gate, ingest, new Records(guard.factory(), limits.maxMessagesPerPacket()),
                new LinesPacket(mapping, parser), names.partial(), guard);
    }

    @Override
    public void process(Exchange exchange) {
        exchange.setProperty(IngestProcessor.INGEST_START, System.nanoTime());
        Message in = exchange.getMessage();
        String method = in.getHeader(Exchange.HTTP_METHOD, String.class);
        String contentType = in.getHeader(Exchange.CONTENT_TYPE, String.class);
        String contentEncoding = in.getHeader("Content-Encoding", String.class);
        String query = in.getHeader(Exchange.HTTP_QUERY, String.class);
        String agent = in.getHeader(AGENT_HEADER, String.class);
        byte[] body = in.getBody(byte[].class);
        in.removeHeaders("*");
        if (agent != null) {
            exchange.setProperty(IngestProcessor.AGENT, agent);
        }
        boolean lines = BodyShapes.isLines(contentType);
        if (!lines && !RequestGate.isJson(contentType)) {
            RequestGate.allowed(method);
            throw new PacketRejectedException(415, "Content-Type must be application/json (a packet, or an array of"
                    + " records) or application/x-ndjson (JSON lines), got "
                    + (contentType == null ? "none" : "'" + contentType + "'"),
                    List.of(new Violation("Content-Type", "must be application/json or application/x-ndjson")));
        }
        byte[] json = JsonGuard.utf8(gate.open(method, contentEncoding, body));
        if (lines) {
            takeRecords(exchange, records.lines(json), query, agent);
        } else if (BodyShapes.firstByte(json) == '[') {
            takeRecords(exchange, records.array(json), query, agent);
        } else {
            takePacketOrRecords(exchange, json, query, agent);
        }
    }

    /** A native packet, unless it is refused and is no packet at all but a record, or records one per line. */
    private void takePacketOrRecords(Exchange exchange, byte[] json, String query, String agent) {
        boolean partial = PartialMode.of(query, ingest.partialByDefault());
        exchange.setProperty(IngestProcessor.PROTOCOL, IngestProcessor.NATIVE);
        try {
            ingest.takeNative(exchange, json, partial);
        } catch (PacketRejectedException e) {
            if (e.status() != 400 || !shapes.isRecord(json)) {
                throw e;
            }
            takeRecords(exchange, records.lines(json), query, agent);
        }
    }

    private void takeRecords(Exchange exchange, List<Records.Item> items, String query, String agent) {
        exchange.setProperty(IngestProcessor.PROTOCOL, LINES);
        boolean partial = PartialMode.of(query, partialByDefault);
        LinesPacket.Taken taken = packets.take(agentOf(exchange, agent), items, partial);
        if (!taken.refused().isEmpty()) {
            exchange.setProperty(IngestProcessor.REFUSED, taken.refused());
        }
        ingest.take(exchange, taken.packet(), LINES);
    }

    /** The agent a request of records is from: its {@code X-Agent-Id}, else the address it came from. */
    private static String agentOf(Exchange exchange, String header) {
        if (header != null) {
            return header.trim();
        }
        String peer = exchange.getProperty(IngestProcessor.PEER, String.class);
        return peer == null ? "unknown" : peer;
    }
}
