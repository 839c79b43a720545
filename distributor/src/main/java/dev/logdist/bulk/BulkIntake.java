package dev.logdist.bulk;

import dev.logdist.ingest.IngestProcessor;
import dev.logdist.ingest.NativePacket;
import dev.logdist.ingest.Translation;
import dev.logdist.validation.PacketParser;
import dev.logdist.validation.PacketRejectedException;
import dev.logdist.validation.Refusal;
import dev.logdist.validation.RequestGate;
import dev.logdist.validation.Violation;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Reads an Elasticsearch bulk request ({@code POST /_bulk}, {@code /{index}/_bulk}, the same under {@code /es}) into
 * one native packet of its documents, refuses the items that cannot be messages, and hands the rest to
 * {@link IngestProcessor#take}. The agent is the {@code X-Agent-Id} header, else the peer's address: one agent per
 * request. Bulk requests carry no packet id, so the distributor assigns one and a re-sent request is delivered again.
 */
public final class BulkIntake implements Processor {

    /** The protocol bulk packets are counted under (logdist_ingest_messages_total, the live page's shares). */
    public static final String PROTOCOL = "bulk";
    /** Exchange property: the {@link BulkOutcome} the answer is written from. */
    static final String OUTCOME = "logdist.bulk.outcome";
    /** Exchange property: true when the request has documents to take (else every item is refused). */
    public static final String TAKE = "logdist.bulk.take";

    private final RequestGate gate;
    private final BulkReader reader;
    private final PacketParser parser;
    private final IngestProcessor ingest;

    public BulkIntake(RequestGate gate, PacketParser parser, IngestProcessor ingest, int maxItems, int maxAttributes,
                      int maxJsonDepth, int maxStringChars) {
        this.gate = gate;
        this.parser = parser;
        this.ingest = ingest;
        this.reader = new BulkReader(maxJsonDepth, maxStringChars, maxItems, maxAttributes);
    }

    @Override
    public void process(Exchange exchange) {
        exchange.setProperty(IngestProcessor.INGEST_START, System.nanoTime());
        exchange.setProperty(TAKE, false);
        Message in = exchange.getMessage();
        String contentType = in.getHeader(Exchange.CONTENT_TYPE, String.class);
        String encoding = in.getHeader("Content-Encoding", String.class);
        String agentId = agentId(in.getHeader("X-Agent-Id", String.class),
                exchange.getProperty(IngestProcessor.PEER, String.class));
        exchange.setProperty(IngestProcessor.AGENT, agentId);
        exchange.setProperty(IngestProcessor.PROTOCOL, PROTOCOL);
        String index = BulkPaths.index(in.getHeader(Exchange.HTTP_PATH, String.class));
        byte[] raw = in.getBody(byte[].class);
        in.removeHeaders("*");
        BulkContentTypes.check(contentType);
        String receivedAt = DateTimeFormatter.ISO_INSTANT.format(Instant.now());
        BulkOutcome outcome = new BulkOutcome(reader.read(open(encoding, raw), index, receivedAt));
        exchange.setProperty(OUTCOME, outcome);
        NativePacket packet = translate(outcome, agentId);
        Translation translation = packet.finish();
        if (!translation.hasMessages()) {
            return;
        }
        PacketParser.Parsed parsed;
        try {
            parsed = parser.written(agentId, translation.packet(), packet.written());
        } catch (PacketRejectedException e) {
            refuseAll(outcome, translation, e);
            return;
        }
        for (Refusal refusal : translation.refusedItems(parsed.refused())) {
            outcome.refuse(refusal.index(), "mapper_parsing_exception", NativeNames.reason(refusal.violations()));
        }
        ingest.take(exchange, parsed.packet(), PROTOCOL);
        exchange.setProperty(TAKE, true);
    }

    private byte[] open(String encoding, byte[] raw) {
        try {
            // the media type is checked above, for bulk's own types; the gate checks size and encoding
            return gate.open("POST", "application/json", encoding, raw);
        } catch (PacketRejectedException e) {
            String type = e.status() == 413 ? "content_too_long_exception" : "parse_exception";
            throw new BulkRejectedException(e.status(), type, e.getMessage());
        }
    }

    private static NativePacket translate(BulkOutcome outcome, String agentId) {
        NativePacket packet = NativePacket.of(agentId, null);
        List<BulkItem> items = outcome.items();
        for (int i = 0; i < items.size(); i++) {
            BulkItem item = items.get(i);
            if (!item.isRefused()) {
                DocumentMapper.Mapped m = item.document();
                packet.message(i, m.timestamp(), m.level(), m.message(), m.source(), m.service(), m.attributes());
            }
        }
        return packet;
    }

    /**
     * The validator refused the packet whole: when for its messages, every item with a message is refused with its
     * own violations; when for the packet itself (the agent id), the request is.
     */
    private static void refuseAll(BulkOutcome outcome, Translation translation, PacketRejectedException e) {
        List<Violation> violations = e.violations();
        boolean perMessage = !violations.isEmpty() && violations.stream().allMatch(v -> v.path().startsWith("messages["));
        if (!perMessage) {
            throw new BulkRejectedException(400, "illegal_argument_exception", e.getMessage() + ": "
                    + NativeNames.reason(violations));
        }
        int[] items = translation.itemOfMessage();
        for (int m = 0; m < items.length; m++) {
            List<Violation> own = NativeNames.ofMessage(violations, m);
            outcome.refuse(items[m], "mapper_parsing_exception", own.isEmpty()
                    ? "refused with the rest of the request: " + NativeNames.reason(violations) : NativeNames.reason(own));
        }
    }

    /** The {@code X-Agent-Id} header, else the peer's address, else a name that says neither was there. */
    static String agentId(String header, String peer) {
        if (header != null && !header.isBlank()) {
            return header.trim();
        }
        return peer != null && !peer.isBlank() ? peer : "elasticsearch-unknown";
    }
}
