package dev.logdist.otlp;

import static dev.logdist.otlp.OtlpRequests.attribute;
import static dev.logdist.otlp.OtlpRequests.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.logdist.config.DistributorConfig.Limits;
import dev.logdist.validation.PacketParser;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How OTLP log records, from protobuf and from OTLP/JSON, become native messages, and what the validator says of them. */
class OtlpMappingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Limits LIMITS = new Limits(1 << 20, 1000, 4096, 8, 500);
    private static final Instant RECEIVED = Instant.parse("2026-12-01T12:00:00Z");

    private final OtlpDecoder decoder = new OtlpDecoder(1 << 20);
    private final LogRecords records = new LogRecords(LIMITS.maxAttributes());
    private final PacketParser parser = new PacketParser(LIMITS);

    @Test
    void should_map_a_protobuf_record_to_a_message_with_its_resource_trace_context_and_attributes() throws Exception {
        byte[] body = OtlpRequests.request(3).toByteArray();

        JsonNode message = messages(decoder.decode(OtlpFormat.PROTOBUF, body)).get(1);

        assertThat(message.get("timestamp").asText()).isEqualTo("2026-11-25T10:00:00.123456790Z");
        assertThat(message.get("level").asText()).isEqualTo("INFO");
        assertThat(message.get("message").asText()).isEqualTo("order 1 paid: 3 items, 42.50 EUR, card ending 4242");
        assertThat(message.get("service").asText()).isEqualTo("checkout");
        assertThat(message.get("source").asText()).isEqualTo("web-1");
        JsonNode attributes = message.get("attributes");
        assertThat(attributes.get("trace_id").asText()).isEqualTo("5b8efff798038103d269b633813fc60c");
        assertThat(attributes.get("span_id").asText()).isEqualTo("eee19b7ec3c1b174");
        assertThat(attributes.get("order.id").asText()).isEqualTo("o-1");
        assertThat(attributes.get("http.status_code").asText()).isEqualTo("200");
        assertThat(attributes.get("service.instance.id").asText()).isEqualTo("checkout-web-1");
        assertThat(attributes.get("otel.scope.name").asText()).isEqualTo("shop.checkout");
        assertThat(attributes.has("service.name")).as("a field of the message, not repeated").isFalse();
        assertThat(attributes.has("host.name")).isFalse();
    }

    @Test
    void should_read_otlp_json_with_hex_ids_int_enums_and_string_int64s_as_the_same_messages_as_protobuf() throws Exception {
        String json = """
                {"resourceLogs":[{"resource":{"attributes":[
                    {"key":"service.name","value":{"stringValue":"checkout"}},
                    {"key":"host.name","value":{"stringValue":"web-1"}},
                    {"key":"service.instance.id","value":{"stringValue":"checkout-web-1"}}]},
                  "scopeLogs":[{"scope":{"name":"shop.checkout"},"logRecords":[
                    {"timeUnixNano":"1795600800123456789","observedTimeUnixNano":1795600800123456789,
                     "severityNumber":9,"severityText":"INFO",
                     "body":{"stringValue":"order 0 paid: 3 items, 42.50 EUR, card ending 4242"},
                     "attributes":[{"key":"order.id","value":{"stringValue":"o-0"}},
                                   {"key":"http.status_code","value":{"intValue":"200"}}],
                     "traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174"}]}]}]}
                """;

        ExportLogsServiceRequest fromJson = decoder.decode(OtlpFormat.JSON, json.getBytes(StandardCharsets.UTF_8));

        assertThat(fromJson).isEqualTo(OtlpRequests.request(1));
        assertThat(messages(fromJson)).isEqualTo(messages(OtlpRequests.request(1)));
    }

    @Test
    void should_ignore_unknown_json_fields_as_the_specification_requires() throws Exception {
        String json = """
                {"resourceLogs":[{"futureField":{"x":[1,2]},"scopeLogs":[{"logRecords":[
                  {"body":{"stringValue":"hello"},"somethingNew":true,"severityNumber":13}]}]}],"extra":1}
                """;

        List<JsonNode> messages = messages(decoder.decode(OtlpFormat.JSON, json.getBytes(StandardCharsets.UTF_8)));

        assertThat(messages).singleElement().satisfies(m -> {
            assertThat(m.get("message").asText()).isEqualTo("hello");
            assertThat(m.get("level").asText()).isEqualTo("WARN");
        });
    }

    @Test
    void should_take_the_level_from_the_severity_number_else_the_text_else_info() {
        String[] byNumber = new String[25];
        for (int n = 1; n <= 24; n++) {
            byNumber[n] = Severity.level(LogRecord.newBuilder().setSeverityNumberValue(n).setSeverityText("fatal").build());
        }
        assertThat(java.util.Arrays.asList(byNumber).subList(1, 25)).containsExactly(
                "TRACE", "TRACE", "TRACE", "TRACE", "DEBUG", "DEBUG", "DEBUG", "DEBUG", "INFO", "INFO", "INFO", "INFO",
                "WARN", "WARN", "WARN", "WARN", "ERROR", "ERROR", "ERROR", "ERROR", "FATAL", "FATAL", "FATAL", "FATAL");
        assertThat(Severity.level(LogRecord.newBuilder().setSeverityText("warn").build())).isEqualTo("WARN");
        assertThat(Severity.level(LogRecord.newBuilder().setSeverityNumberValue(99).setSeverityText("Error").build()))
                .isEqualTo("ERROR");
        assertThat(Severity.level(LogRecord.newBuilder().setSeverityText("Information").build())).isEqualTo("INFO");
        assertThat(Severity.level(LogRecord.getDefaultInstance())).isEqualTo("INFO");
    }

    @Test
    void should_take_the_time_of_the_event_else_the_observed_time_else_the_time_of_receipt() {
        assertThat(LogRecords.timestamp(LogRecord.newBuilder().setTimeUnixNano(1_000_000_001L)
                .setObservedTimeUnixNano(5_000_000_000L).build(), RECEIVED)).isEqualTo("1970-01-01T00:00:01.000000001Z");
        assertThat(LogRecords.timestamp(LogRecord.newBuilder().setObservedTimeUnixNano(5_000_000_000L).build(), RECEIVED))
                .isEqualTo("1970-01-01T00:00:05Z");
        assertThat(LogRecords.timestamp(LogRecord.getDefaultInstance(), RECEIVED)).isEqualTo("2026-12-01T12:00:00Z");
        // fixed64 is unsigned: past 2262 it does not turn negative
        assertThat(LogRecords.timestamp(LogRecord.newBuilder().setTimeUnixNano(-1L).build(), RECEIVED)).startsWith("2554-");
    }

    @Test
    void should_write_a_non_string_body_as_json_and_stringify_attribute_values() throws Exception {
        AnyValue map = AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
                .addValues(attribute("user", text("ann")))
                .addValues(attribute("n", AnyValue.newBuilder().setIntValue(-7).build()))
                .addValues(attribute("ok", AnyValue.newBuilder().setBoolValue(true).build()))
                .addValues(attribute("tags", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                        .addValues(text("a")).addValues(AnyValue.newBuilder().setDoubleValue(1.5))).build()))
                .addValues(attribute("raw", AnyValue.newBuilder().setBytesValue(ByteString.copyFromUtf8("hi")).build()))).build();
        LogRecord record = LogRecord.newBuilder().setBody(map)
                .addAttributes(attribute("ratio", AnyValue.newBuilder().setDoubleValue(0.25).build()))
                .addAttributes(attribute("list", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                        .addValues(text("x"))).build())).build();

        JsonNode message = messages(oneRecord(record)).get(0);

        assertThat(JSON.readTree(message.get("message").asText())).isEqualTo(JSON.readTree(
                "{\"user\":\"ann\",\"n\":-7,\"ok\":true,\"tags\":[\"a\",1.5],\"raw\":\"aGk=\"}"));
        assertThat(message.get("attributes").get("ratio").asText()).isEqualTo("0.25");
        assertThat(message.get("attributes").get("list").asText()).isEqualTo("[\"x\"]");
    }

    @Test
    void should_keep_the_trace_context_and_the_records_own_attributes_first_drop_the_rest_and_truncate_long_values() throws Exception {
        LogRecord.Builder record = LogRecord.newBuilder().setBody(text("many"))
                .setTraceId(ByteString.fromHex("0102030405060708090a0b0c0d0e0f10")).setSpanId(ByteString.fromHex("0102030405060708"));
        record.addAttributes(attribute("long", text("x".repeat(10_000))));
        record.addAttributes(attribute("", text("nameless")));
        record.addAttributes(attribute("long", text("the same name again")));
        for (int i = 0; i < 10; i++) {
            record.addAttributes(attribute("a" + i, text("v" + i)));
        }
        ExportLogsServiceRequest request = ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
                .setResource(OtlpRequests.resource("svc", "h")).addScopeLogs(ScopeLogs.newBuilder().addLogRecords(record))).build();

        LogRecords.Mapped mapped = records.map(request, "agent", RECEIVED);
        PacketParser.Parsed parsed = parser.parseEach(mapped.translation().packet());

        assertThat(parsed.refused()).as("within the limits, never refused for its attributes").isEmpty();
        JsonNode attributes = JSON.readTree(mapped.translation().packet()).get("messages").get(0).get("attributes");
        List<String> names = new ArrayList<>();
        attributes.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("trace_id", "span_id", "long", "a0", "a1", "a2", "a3", "a4");
        assertThat(attributes.get("long").asText()).hasSize(Attributes.MAX_VALUE_CHARS);
    }

    @Test
    void should_refuse_a_record_without_a_body_by_its_otlp_path_and_take_the_others() throws Exception {
        ExportLogsServiceRequest request = ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(ResourceLogs.newBuilder().addScopeLogs(ScopeLogs.newBuilder()
                        .addLogRecords(LogRecord.newBuilder().setBody(text("fine")))))
                .addResourceLogs(ResourceLogs.newBuilder().addScopeLogs(ScopeLogs.newBuilder())
                        .addScopeLogs(ScopeLogs.newBuilder()
                                .addLogRecords(LogRecord.newBuilder().setBody(text("fine too")))
                                .addLogRecords(LogRecord.newBuilder().setBody(text("  ")))
                                .addLogRecords(LogRecord.newBuilder()))).build();

        LogRecords.Mapped mapped = records.map(request, "agent", RECEIVED);
        PacketParser.Parsed parsed = parser.parseEach(mapped.translation().packet());
        OtlpIntake.Refused refused = new OtlpIntake.Refused(mapped.translation().refusedItems(parsed.refused()), mapped.paths());

        assertThat(parsed.packet().messageCount()).isEqualTo(2);
        assertThat(OtlpAnswers.describe(refused)).isEqualTo("2 log records refused: "
                + "resourceLogs[1].scopeLogs[1].logRecords[1].body must not be empty; "
                + "resourceLogs[1].scopeLogs[1].logRecords[2].body is required");
    }

    @Test
    void should_name_the_agent_by_header_else_instance_else_host_else_peer() {
        ExportLogsServiceRequest request = OtlpRequests.request(1);
        ExportLogsServiceRequest hostOnly = ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
                .setResource(io.opentelemetry.proto.resource.v1.Resource.newBuilder()
                        .addAttributes(attribute("service.instance.id", text("has spaces")))
                        .addAttributes(attribute("host.name", text("web-2"))))).build();

        assertThat(AgentIds.of("collector-7", request, "10.0.0.1")).isEqualTo("collector-7");
        assertThat(AgentIds.of(null, request, "10.0.0.1")).isEqualTo("checkout-web-1");
        assertThat(AgentIds.of(null, hostOnly, "10.0.0.1")).isEqualTo("web-2");
        assertThat(AgentIds.of(null, ExportLogsServiceRequest.getDefaultInstance(), "10.0.0.1")).isEqualTo("10.0.0.1");
    }

    private List<JsonNode> messages(ExportLogsServiceRequest request) throws Exception {
        LogRecords.Mapped mapped = records.map(request, "agent", RECEIVED);
        PacketParser.Parsed parsed = parser.parseEach(mapped.translation().packet());
        assertThat(parsed.refused()).isEmpty();
        List<JsonNode> messages = new ArrayList<>();
        JSON.readTree(mapped.translation().packet()).get("messages").forEach(messages::add);
        return messages;
    }

    private static ExportLogsServiceRequest oneRecord(LogRecord record) {
        return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
                .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(record))).build();
    }
}
