package dev.logdist.bulk;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.logdist.delivery.NoRoomException;
import dev.logdist.ingest.IngestProcessor;
import dev.logdist.ingest.RefusalLog;
import dev.logdist.validation.Violation;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bulk route's answers, in the bulk API's shape so that shippers know what to resend: {@code 200} with an item per
 * action ({@code 201 created} for each taken, {@code 400} with an Elasticsearch error naming the field for each
 * refused); {@code 429} with {@code Retry-After} when the request cannot be kept now (every shipper retries a 429
 * whole: Fluent Bit, Vector, Filebeat and Logstash by its status, rsyslog's {@code retryfailures} by its items, each
 * {@code 429 es_rejected_execution_exception}); the Elasticsearch error body for a request refused whole.
 */
public final class BulkAnswers {

    private static final Logger LOG = LoggerFactory.getLogger(BulkAnswers.class);
    private static final JsonFactory JSON = new JsonFactory();
    private static final JsonStringEncoder QUOTE = JsonStringEncoder.getInstance();

    private final IngestProcessor ingest;
    private final Answered meters;
    private final RefusalLog refusals;

    public BulkAnswers(IngestProcessor ingest, Answered meters, RefusalLog refusals) {
        this.ingest = ingest;
        this.meters = meters;
        this.refusals = refusals;
    }

    /** {@code 200} with the items: those taken are kept (or there were none to take). */
    public void accepted(Exchange exchange) {
        ingest.accepted(exchange);
        BulkOutcome outcome = exchange.getProperty(BulkIntake.OUTCOME, BulkOutcome.class);
        answer(exchange, 200, items(outcome, took(exchange), false));
        meters.answered(200, outcome.taken(), start(exchange));
        int refused = outcome.items().size() - outcome.taken();
        if (refused > 0) {
            int first = outcome.firstRefused();
            // 202: the refusal log's mark of messages refused while the rest of the request was taken
            refusals.refused(agent(exchange), BulkIntake.PROTOCOL, 202, refused + " of " + outcome.items().size()
                    + " documents refused", new Violation("items[" + first + "]", outcome.reason(first)));
        }
    }

    /** The request refused whole: {@code {"error": {"type", "reason"}, "status"}}. */
    public void rejected(Exchange exchange) {
        BulkRejectedException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, BulkRejectedException.class);
        answer(exchange, e.status(), error(e.type(), e.getMessage(), e.status(), null, 0));
        meters.answered(e.status(), 0, start(exchange));
        refusals.refused(agent(exchange), BulkIntake.PROTOCOL, e.status(), e.type() + ": " + e.getMessage(), null);
    }

    /** {@code 429} with {@code Retry-After}: nothing of the request is kept; every item it could take is answered 429. */
    public void unavailable(Exchange exchange) {
        ingest.refused(exchange);
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (e instanceof NoRoomException) {
            LOG.debug("exchange {}: no room, answering 429", exchange.getExchangeId());
        } else {
            LOG.error("exchange {}: could not take a bulk request, answering 429", exchange.getExchangeId(), e);
        }
        BulkOutcome outcome = exchange.getProperty(BulkIntake.OUTCOME, BulkOutcome.class);
        answer(exchange, 429, error("es_rejected_execution_exception", "the distributor cannot take this request now;"
                + " retry later", 429, outcome, took(exchange)));
        exchange.getMessage().setHeader("Retry-After", "1");
        meters.answered(429, 0, start(exchange));
    }

    static void answer(Exchange exchange, int status, String json) {
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        out.setHeader(EsReadCalls.PRODUCT_HEADER, EsReadCalls.PRODUCT);
        out.setBody(json);
    }

    /**
     * {@code {"took", "errors", "items"}}; with {@code rejectAll}, every item not refused is answered 429. Written by
     * hand: it is most of a bulk request's answer, and each taken item's is the same but for its index, id and place.
     */
    static String items(BulkOutcome outcome, long took, boolean rejectAll) {
        if (rejectAll) {
            StringWriter text = new StringWriter(128 + outcome.items().size() * 160);
            try (JsonGenerator g = JSON.createGenerator(text)) {
                g.writeStartObject();
                writeItems(g, outcome, took, true);
                g.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return text.toString();
        }
        List<BulkItem> items = outcome.items();
        StringBuilder text = new StringBuilder(64 + items.size() * 180);
        text.append("{\"took\":").append(took).append(",\"errors\":").append(outcome.taken() < items.size())
                .append(",\"items\":[");
        for (int i = 0; i < items.size(); i++) {
            BulkItem item = items.get(i);
            text.append(i == 0 ? "{" : ",{");
            quoted(text, item.action()).append(":{\"_index\":");
            quoted(text, item.index()).append(",\"_id\":");
            quoted(text, item.id());
            if (outcome.refused(i)) {
                text.append(",\"status\":400,\"error\":{\"type\":");
                quoted(text, outcome.errorType(i)).append(",\"reason\":");
                quoted(text, outcome.reason(i)).append(",\"index\":");
                quoted(text, item.index()).append("}}}");
            } else {
                text.append(",\"_version\":1,\"result\":\"created\",\"_shards\":{\"total\":1,\"successful\":1,"
                        + "\"failed\":0},\"_seq_no\":").append(i).append(",\"_primary_term\":1,\"status\":201}}");
            }
        }
        return text.append("]}").toString();
    }

    private static StringBuilder quoted(StringBuilder text, String value) {
        text.append('"');
        if (plain(value)) {
            text.append(value); // nothing to escape: the encoder would copy it a character at a time
        } else {
            QUOTE.quoteAsString(value, text);
        }
        return text.append('"');
    }

    /** Whether JSON needs no escape in {@code value}: no quote, no backslash, no control character. */
    private static boolean plain(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private static void writeItems(JsonGenerator g, BulkOutcome outcome, long took, boolean rejectAll) throws IOException {
        g.writeNumberField("took", took);
        g.writeBooleanField("errors", rejectAll || outcome.taken() < outcome.items().size());
        g.writeArrayFieldStart("items");
        List<BulkItem> items = outcome.items();
        for (int i = 0; i < items.size(); i++) {
            BulkItem item = items.get(i);
            g.writeStartObject();
            g.writeObjectFieldStart(item.action());
            g.writeStringField("_index", item.index());
            g.writeStringField("_id", item.id());
            if (outcome.refused(i) || rejectAll) {
                int status = outcome.refused(i) ? 400 : 429;
                g.writeNumberField("status", status);
                g.writeObjectFieldStart("error");
                g.writeStringField("type", outcome.refused(i) ? outcome.errorType(i) : "es_rejected_execution_exception");
                g.writeStringField("reason", outcome.refused(i) ? outcome.reason(i)
                        : "the distributor cannot take this document now; retry later");
                g.writeStringField("index", item.index());
                g.writeEndObject();
            } else {
                g.writeNumberField("_version", 1);
                g.writeStringField("result", "created");
                g.writeObjectFieldStart("_shards");
                g.writeNumberField("total", 1);
                g.writeNumberField("successful", 1);
                g.writeNumberField("failed", 0);
                g.writeEndObject();
                g.writeNumberField("_seq_no", i);
                g.writeNumberField("_primary_term", 1);
                g.writeNumberField("status", 201);
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /**
     * Elasticsearch's error body; with the request's items when they were read (a 429's items, so that a shipper
     * retrying by item, as rsyslog does, retries them too).
     */
    static String error(String type, String reason, int status, BulkOutcome outcome, long took) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(text)) {
            g.writeStartObject();
            g.writeObjectFieldStart("error");
            g.writeArrayFieldStart("root_cause");
            g.writeStartObject();
            g.writeStringField("type", type);
            g.writeStringField("reason", reason);
            g.writeEndObject();
            g.writeEndArray();
            g.writeStringField("type", type);
            g.writeStringField("reason", reason);
            g.writeEndObject();
            g.writeNumberField("status", status);
            if (outcome != null) {
                writeItems(g, outcome, took, true);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** Who sent the request: the agent id it was given, else its peer address. */
    private static String agent(Exchange exchange) {
        String agent = exchange.getProperty(IngestProcessor.AGENT, String.class);
        String peer = exchange.getProperty(IngestProcessor.PEER, String.class);
        return agent != null ? agent : peer == null ? null : "peer " + peer;
    }

    private static Long start(Exchange exchange) {
        return exchange.getProperty(IngestProcessor.INGEST_START, Long.class);
    }

    private static long took(Exchange exchange) {
        Long start = start(exchange);
        return start == null ? 0 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}
