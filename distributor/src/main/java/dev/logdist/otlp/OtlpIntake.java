package dev.logdist.otlp;

import dev.logdist.ingest.IngestProcessor;
import dev.logdist.ingest.Translation;
import dev.logdist.validation.PacketParser;
import dev.logdist.validation.PacketRejectedException;
import dev.logdist.validation.RequestGate;
import dev.logdist.validation.Refusal;
import dev.logdist.validation.Violation;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import java.time.Instant;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Turns a {@code POST /v1/logs} request (OTLP/HTTP) into a packet for the {@code take-packet} route: checks method,
 * media type, size and encoding, decodes the export request, writes its records as native messages
 * ({@link LogRecords}), validates them one by one and takes the valid ones. The records refused stay on the exchange
 * ({@link #REFUSED}) for the answer's {@code partial_success}; a request none of whose records is valid is refused
 * whole, as is one that does not decode. Request headers are dropped here, so that none reaches the answer.
 */
public final class OtlpIntake implements Processor {

    /** The protocol's name in the counters and exchange properties. */
    public static final String PROTOCOL = "otlp";
    /** Exchange property: the {@link Refused} records of a request taken in part or whole. */
    static final String REFUSED = "logdist.otlp.refused";
    /** Exchange property: the {@link OtlpFormat} the answer is written in. */
    static final String FORMAT = "logdist.otlp.format";

    private final RequestGate gate;
    private final OtlpDecoder decoder;
    private final LogRecords records;
    private final PacketParser parser;
    private final IngestProcessor ingest;

    public OtlpIntake(RequestGate gate, PacketParser parser, IngestProcessor ingest, int maxAttributes,
                      int maxJsonStringChars) {
        this.gate = gate;
        this.decoder = new OtlpDecoder(maxJsonStringChars);
        this.records = new LogRecords(maxAttributes);
        this.parser = parser;
        this.ingest = ingest;
    }

    @Override
    public void process(Exchange exchange) {
        exchange.setProperty(IngestProcessor.INGEST_START, System.nanoTime());
        Message in = exchange.getMessage();
        String method = in.getHeader(Exchange.HTTP_METHOD, String.class);
        String contentType = in.getHeader(Exchange.CONTENT_TYPE, String.class);
        String contentEncoding = in.getHeader("Content-Encoding", String.class);
        String agentHeader = in.getHeader(AgentIds.HEADER, String.class);
        String peer = exchange.getProperty(IngestProcessor.PEER, String.class);
        byte[] body = in.getBody(byte[].class);
        in.removeHeaders("*");
        OtlpFormat format = OtlpFormat.of(contentType);
        exchange.setProperty(FORMAT, format == null ? OtlpFormat.JSON : format);
        if (!"POST".equalsIgnoreCase(method)) {
            throw new PacketRejectedException(405, "method " + method + " is not allowed on /v1/logs; use POST",
                    List.of(new Violation("method", "must be POST")));
        }
        if (format == null) {
            throw new PacketRejectedException(415, "Content-Type must be application/x-protobuf or application/json, got "
                    + (contentType == null ? "none" : "'" + contentType + "'"),
                    List.of(new Violation("Content-Type", "must be application/x-protobuf or application/json")));
        }
        ExportLogsServiceRequest request = decoder.decode(format, gate.body(contentEncoding, body));
        LogRecords.Mapped mapped = records.map(request, AgentIds.of(agentHeader, request, peer), Instant.now());
        Translation translation = mapped.translation();
        if (translation.items() == 0) {
            throw new PacketRejectedException(400, "the request holds no log records",
                    List.of(new Violation("resourceLogs[*].scopeLogs[*].logRecords", "must hold at least 1 log record")));
        }
        PacketParser.Parsed parsed;
        try {
            parsed = mapped.validated(parser);
        } catch (PacketRejectedException e) {
            throw mapped.paths().told(e, translation.itemOfMessage());
        }
        List<Refusal> refused = translation.refusedItems(parsed.refused());
        exchange.setProperty(REFUSED, new Refused(refused, mapped.paths()));
        ingest.take(exchange, parsed.packet(), PROTOCOL);
    }

    /** The records of a request that were refused, and where they sit in it. */
    record Refused(List<Refusal> records, RecordPaths paths) {
    }
}
