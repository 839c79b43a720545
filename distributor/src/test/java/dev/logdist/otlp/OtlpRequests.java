package dev.logdist.otlp;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * OTLP export requests for tests and benchmarks, made with the generated classes. As a program it writes the protobuf
 * body of a request of N log records to a file, for a benchmark row:
 * {@code java -cp "distributor/target/test-classes:distributor/target/lib/*" dev.logdist.otlp.OtlpRequests out.pb 10}.
 */
public final class OtlpRequests {

    static final String TRACE_ID = "5b8efff798038103d269b633813fc60c";
    static final String SPAN_ID = "eee19b7ec3c1b174";
    static final long TIME = 1_795_600_800_123_456_789L; // 2026-11-25T10:00:00.123456789Z

    private OtlpRequests() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: OtlpRequests <file> <records>");
            System.exit(2);
        }
        Files.write(Path.of(args[0]), request(Integer.parseInt(args[1])).toByteArray());
    }

    /** One resource (service checkout on host web-1), one scope, {@code records} INFO records with a trace context. */
    public static ExportLogsServiceRequest request(int records) {
        ScopeLogs.Builder scope = ScopeLogs.newBuilder().setScope(InstrumentationScope.newBuilder().setName("shop.checkout"));
        for (int i = 0; i < records; i++) {
            scope.addLogRecords(LogRecord.newBuilder().setTimeUnixNano(TIME + i).setObservedTimeUnixNano(TIME + i)
                    .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_INFO).setSeverityText("INFO")
                    .setBody(text("order " + i + " paid: 3 items, 42.50 EUR, card ending 4242"))
                    .addAttributes(attribute("order.id", text("o-" + i)))
                    .addAttributes(attribute("http.status_code", AnyValue.newBuilder().setIntValue(200).build()))
                    .setTraceId(ByteString.fromHex(TRACE_ID)).setSpanId(ByteString.fromHex(SPAN_ID)));
        }
        return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
                .setResource(resource("checkout", "web-1")).addScopeLogs(scope)).build();
    }

    /** {@link #request} in OTLP/JSON: protobuf's JSON mapping, but the trace and span ids in hex. */
    public static String json(int records) throws IOException {
        String json = com.google.protobuf.util.JsonFormat.printer().print(request(records));
        for (String hex : new String[] {TRACE_ID, SPAN_ID}) {
            json = json.replace(java.util.Base64.getEncoder().encodeToString(ByteString.fromHex(hex).toByteArray()), hex);
        }
        return json;
    }

    /** How many log records the distributor reads in an OTLP/JSON body, or -1 when it refuses to decode it. */
    public static int recordsInJson(byte[] body) {
        try {
            return new OtlpDecoder(1 << 20).decode(OtlpFormat.JSON, body).getResourceLogsList().stream()
                    .flatMap(r -> r.getScopeLogsList().stream()).mapToInt(ScopeLogs::getLogRecordsCount).sum();
        } catch (dev.logdist.validation.PacketRejectedException e) {
            return -1;
        }
    }

    static Resource resource(String service, String host) {
        return Resource.newBuilder().addAttributes(attribute("service.name", text(service)))
                .addAttributes(attribute("host.name", text(host)))
                .addAttributes(attribute("service.instance.id", text(service + "-" + host))).build();
    }

    static KeyValue attribute(String key, AnyValue value) {
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }

    static AnyValue text(String s) {
        return AnyValue.newBuilder().setStringValue(s).build();
    }
}
