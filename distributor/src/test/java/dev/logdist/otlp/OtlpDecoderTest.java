package dev.logdist.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logdist.validation.PacketRejectedException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Bodies that do not decode are a 400 saying why, from the generated classes' own checks; none costs more than its bytes. */
class OtlpDecoderTest {

    private final OtlpDecoder decoder = new OtlpDecoder(1 << 20);

    @Test
    void should_refuse_a_truncated_protobuf_body() {
        byte[] body = OtlpRequests.request(3).toByteArray();
        assertRefused(OtlpFormat.PROTOBUF, Arrays.copyOf(body, body.length - 7), "ended unexpectedly");
    }

    @Test
    void should_refuse_an_invalid_wire_type_and_a_stray_end_group() {
        assertRefused(OtlpFormat.PROTOBUF, new byte[] {(byte) 0x0f, 0x01}, "invalid wire type");
        assertRefused(OtlpFormat.PROTOBUF, new byte[] {(byte) 0x0c}, "end-group tag did not match");
    }

    @Test
    void should_refuse_a_length_longer_than_the_body() {
        // field 1 (resource_logs), length-delimited, declaring 2 GB - 1
        assertRefused(OtlpFormat.PROTOBUF, new byte[] {0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07, 0x00},
                "too large");
    }

    @Test
    void should_refuse_a_body_nested_deeper_than_the_limit_in_protobuf_and_in_json() {
        // an AnyValue of arrays in arrays, as the body of one record
        StringBuilder json = new StringBuilder("{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"body\":");
        io.opentelemetry.proto.common.v1.AnyValue value = OtlpRequests.text("deep");
        for (int i = 0; i < 40; i++) {
            value = io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setArrayValue(
                    io.opentelemetry.proto.common.v1.ArrayValue.newBuilder().addValues(value)).build();
            json.append("{\"arrayValue\":{\"values\":[");
        }
        json.append("{\"stringValue\":\"deep\"}").append("]}}".repeat(40)).append("}]}]}]}");
        byte[] protobuf = ExportLogsServiceRequest.newBuilder().addResourceLogs(
                io.opentelemetry.proto.logs.v1.ResourceLogs.newBuilder().addScopeLogs(
                        io.opentelemetry.proto.logs.v1.ScopeLogs.newBuilder().addLogRecords(
                                io.opentelemetry.proto.logs.v1.LogRecord.newBuilder().setBody(value)))).build().toByteArray();

        assertRefused(OtlpFormat.PROTOBUF, protobuf, "too many levels of nesting");
        assertRefused(OtlpFormat.JSON, json.toString().getBytes(StandardCharsets.UTF_8), "nested deeper than 64 levels");
    }

    @Test
    void should_refuse_an_empty_body_json_that_is_not_a_request_and_ids_that_are_not_hex() {
        assertRefused(OtlpFormat.PROTOBUF, new byte[0], "an ExportLogsServiceRequest is required");
        assertRefused(OtlpFormat.JSON, "[1,2]".getBytes(StandardCharsets.UTF_8), "must be a JSON object");
        assertRefused(OtlpFormat.JSON, "{\"resourceLogs\":".getBytes(StandardCharsets.UTF_8), "");
        assertRefused(OtlpFormat.JSON, "{\"resourceLogs\":{}} x".getBytes(StandardCharsets.UTF_8), "");
        assertRefused(OtlpFormat.JSON, "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"traceId\":\"zz\"}]}]}]}"
                .getBytes(StandardCharsets.UTF_8), "traceId must be 32 hex digits");
        assertRefused(OtlpFormat.JSON, "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"body\":\"a string where an AnyValue belongs\"}]}]}]}"
                .getBytes(StandardCharsets.UTF_8), "");
        assertRefused(OtlpFormat.JSON, "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"timeUnixNano\":-1.5}]}]}]}"
                .getBytes(StandardCharsets.UTF_8), "");
    }

    @Test
    void should_read_proto_field_names_too_as_protobufs_json_mapping_allows() {
        ExportLogsServiceRequest request = decoder.decode(OtlpFormat.JSON, ("{\"resource_logs\":[{\"scope_logs\":[{\"log_records\":"
                + "[{\"span_id\":\"eee19b7ec3c1b174\",\"body\":{\"string_value\":\"x\"}}]}]}]}").getBytes(StandardCharsets.UTF_8));
        assertThat(request.getResourceLogs(0).getScopeLogs(0).getLogRecords(0).getSpanId().size()).isEqualTo(8);
    }

    private void assertRefused(OtlpFormat format, byte[] body, String problem) {
        assertThatThrownBy(() -> decoder.decode(format, body)).isInstanceOfSatisfying(PacketRejectedException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.violations()).singleElement().satisfies(v -> assertThat(v.problem()).contains(problem));
        });
    }
}
