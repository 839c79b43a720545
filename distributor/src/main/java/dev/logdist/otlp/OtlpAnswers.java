package dev.logdist.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.logdist.ingest.IngestProcessor;
import dev.logdist.validation.PacketRejectedException;
import dev.logdist.validation.Refusal;
import dev.logdist.validation.Violation;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answers of {@code POST /v1/logs}, as the OTLP/HTTP specification has them, each in the request's format: 200
 * with an {@code ExportLogsServiceResponse} (with {@code partial_success} when records were refused) once the
 * accepted records are kept; the client's 4xx with a {@code google.rpc.Status}; 503 with {@code Retry-After}, which
 * exporters retry, when the distributor cannot keep the request now.
 */
public final class OtlpAnswers {

    private static final Logger LOG = LoggerFactory.getLogger(OtlpAnswers.class);
    /** How many refused records the error message of a partial success names. */
    static final int NAMED_REFUSALS = 5;

    /** Where every answer is counted (the ingest counters), without this package knowing them. */
    @FunctionalInterface
    public interface Counter {
        void answered(int status, int acceptedMessages, Long ingestStartNanos);
    }

    private final IngestProcessor ingest;
    private final Counter counter;
    private final JsonFormat.Printer json = JsonFormat.printer().omittingInsignificantWhitespace();

    public OtlpAnswers(IngestProcessor ingest, Counter counter) {
        this.ingest = ingest;
        this.counter = counter;
    }

    /** {@code 200}: every accepted record is kept. */
    public void accepted(Exchange exchange) throws InvalidProtocolBufferException {
        ingest.accepted(exchange);
        OtlpIntake.Refused refused = exchange.getProperty(OtlpIntake.REFUSED, OtlpIntake.Refused.class);
        ExportLogsServiceResponse.Builder response = ExportLogsServiceResponse.newBuilder();
        if (refused != null && !refused.records().isEmpty()) {
            response.setPartialSuccess(ExportLogsPartialSuccess.newBuilder()
                    .setRejectedLogRecords(refused.records().size())
                    .setErrorMessage(describe(refused)));
        }
        OtlpFormat format = format(exchange);
        answer(exchange, 200, format, format == OtlpFormat.PROTOBUF ? response.build().toByteArray()
                : json.print(response));
        IngestProcessor.Taken taken = IngestProcessor.taken(exchange);
        counter.answered(200, taken == null ? 0 : taken.messages(), start(exchange));
    }

    /** The 4xx of a request refused whole, with a Status naming why. */
    public void rejected(Exchange exchange) {
        PacketRejectedException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, PacketRejectedException.class);
        status(exchange, e.status(), e.status() == 405 ? RpcStatus.UNIMPLEMENTED : RpcStatus.INVALID_ARGUMENT,
                describe(e));
        if (e.status() == 405) {
            exchange.getMessage().setHeader("Allow", "POST");
        }
    }

    /** {@code 503} with {@code Retry-After}: there is no room for the request now (the route tells); nothing of it was kept. */
    public void full(Exchange exchange) {
        LOG.debug("exchange {}: no room, answering 503", exchange.getExchangeId());
        retryLater(exchange);
    }

    /** {@code 503} with {@code Retry-After}: the request could not be kept for a reason of ours; nothing of it was. */
    public void unavailable(Exchange exchange) {
        LOG.error("exchange {}: could not accept an OTLP request, answering 503", exchange.getExchangeId(),
                exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class));
        retryLater(exchange);
    }

    private void retryLater(Exchange exchange) {
        status(exchange, 503, RpcStatus.UNAVAILABLE, "the distributor cannot take these log records now; retry later");
        exchange.getMessage().setHeader("Retry-After", "1");
    }

    private void status(Exchange exchange, int httpStatus, int code, String message) {
        OtlpFormat format = format(exchange);
        answer(exchange, httpStatus, format, format == OtlpFormat.PROTOBUF ? RpcStatus.protobuf(code, message)
                : RpcStatus.json(code, message));
        counter.answered(httpStatus, 0, start(exchange));
    }

    /** The first refused records, each with its reasons: {@code 2 of 10 log records refused: resourceLogs[0]...}. */
    static String describe(OtlpIntake.Refused refused) {
        List<Refusal> records = refused.records();
        StringBuilder b = new StringBuilder().append(records.size()).append(records.size() == 1 ? " log record" : " log records")
                .append(" refused");
        for (int i = 0; i < Math.min(NAMED_REFUSALS, records.size()); i++) {
            b.append(i == 0 ? ": " : "; ");
            appendViolations(b, refused.paths().violations(records.get(i)));
        }
        if (records.size() > NAMED_REFUSALS) {
            b.append("; and ").append(records.size() - NAMED_REFUSALS).append(" more");
        }
        return b.toString();
    }

    private static String describe(PacketRejectedException e) {
        StringBuilder b = new StringBuilder(e.getMessage());
        // a 405, 413 or 415 says it all in its error; a 400 names the fields
        if (e.status() == 400 && !e.violations().isEmpty()) {
            b.append(": ");
            appendViolations(b, e.violations().subList(0, Math.min(10, e.violations().size())));
        }
        return b.toString();
    }

    private static void appendViolations(StringBuilder b, List<Violation> violations) {
        for (int i = 0; i < violations.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(violations.get(i).path()).append(' ').append(violations.get(i).problem());
        }
    }

    /** Status, media type and body; every other header goes, so no request header is echoed. */
    private static void answer(Exchange exchange, int status, OtlpFormat format, Object body) {
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, format.mediaType);
        out.setBody(body);
    }

    private static OtlpFormat format(Exchange exchange) {
        OtlpFormat format = exchange.getProperty(OtlpIntake.FORMAT, OtlpFormat.class);
        return format == null ? OtlpFormat.JSON : format;
    }

    private static Long start(Exchange exchange) {
        return exchange.getProperty(IngestProcessor.INGEST_START, Long.class);
    }
}
