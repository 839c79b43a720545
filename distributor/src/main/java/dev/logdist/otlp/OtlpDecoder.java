package dev.logdist.otlp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.logdist.validation.JsonGuard;
import dev.logdist.validation.PacketRejectedException;
import dev.logdist.validation.Violation;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import java.io.IOException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads an {@code ExportLogsServiceRequest} with the protocol's generated classes, from protobuf or from OTLP/JSON
 * (protobuf's JSON mapping, except that trace and span ids are hex, not base64). A body that does not decode is a 400
 * saying why. Nesting is bounded ({@value #MAX_NESTING} messages deep in protobuf, as many JSON levels), so that no
 * value, however deep, costs more than its bytes; unknown JSON fields are ignored, as the specification requires.
 */
final class OtlpDecoder {

    static final int MAX_NESTING = 64;

    private final ObjectMapper json;
    private final JsonFormat.Parser parser = JsonFormat.parser().ignoringUnknownFields();

    OtlpDecoder(int maxJsonStringChars) {
        JsonFactory factory = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING).maxStringLength(maxJsonStringChars).maxNameLength(maxJsonStringChars)
                .maxNumberLength(100).build()).build();
        this.json = new ObjectMapper(factory);
    }

    ExportLogsServiceRequest decode(OtlpFormat format, byte[] body) {
        if (body.length == 0) {
            throw invalid("the request body is empty", "an ExportLogsServiceRequest is required");
        }
        return format == OtlpFormat.PROTOBUF ? protobuf(body) : json(body);
    }

    private static ExportLogsServiceRequest protobuf(byte[] body) {
        try {
            CodedInputStream in = CodedInputStream.newInstance(body);
            in.setRecursionLimit(MAX_NESTING);
            ExportLogsServiceRequest request = ExportLogsServiceRequest.parseFrom(in);
            in.checkLastTagWas(0);
            return request;
        } catch (IOException e) {
            // InvalidProtocolBufferException: a byte array is never short of input in any other way
            throw invalid("the body is not an ExportLogsServiceRequest in protobuf", firstLine(e.getMessage()));
        }
    }

    private ExportLogsServiceRequest json(byte[] body) {
        JsonNode tree;
        try (JsonParser p = json.createParser(JsonGuard.utf8(body))) {
            tree = json.readTree(p);
            if (p.nextToken() != null) {
                throw invalid("the body is not valid JSON", "unexpected content after the request object");
            }
        } catch (StreamConstraintsException e) {
            throw invalid("the body is over a JSON limit", e.getMessage().contains("nesting")
                    ? "nested deeper than " + MAX_NESTING + " levels" : "a string, name or number too long");
        } catch (IOException e) {
            throw invalid("the body is not valid JSON", firstLine(e.getMessage()));
        }
        if (tree == null || !tree.isObject()) {
            throw invalid("the body is not an OTLP/JSON request", "must be a JSON object");
        }
        idsToBase64(tree);
        ExportLogsServiceRequest.Builder request = ExportLogsServiceRequest.newBuilder();
        try {
            parser.merge(json.writeValueAsString(tree), request);
        } catch (InvalidProtocolBufferException e) {
            throw invalid("the body is not an ExportLogsServiceRequest in OTLP/JSON", firstLine(e.getMessage()));
        } catch (IOException e) {
            throw invalid("the body could not be read", firstLine(e.getMessage()));
        }
        return request.build();
    }

    /** OTLP/JSON's hex trace and span ids as the base64 that protobuf's JSON mapping reads for bytes. */
    private static void idsToBase64(JsonNode request) {
        for (JsonNode resourceLogs : either(request, "resourceLogs", "resource_logs")) {
            for (JsonNode scopeLogs : either(resourceLogs, "scopeLogs", "scope_logs")) {
                for (JsonNode record : either(scopeLogs, "logRecords", "log_records")) {
                    if (record instanceof ObjectNode fields) {
                        hexToBase64(fields, "traceId", 16);
                        hexToBase64(fields, "trace_id", 16);
                        hexToBase64(fields, "spanId", 8);
                        hexToBase64(fields, "span_id", 8);
                    }
                }
            }
        }
    }

    private static Iterable<JsonNode> either(JsonNode node, String name, String protoName) {
        JsonNode list = node.has(name) ? node.get(name) : node.path(protoName);
        return list.isArray() ? list : List.of();
    }

    private static void hexToBase64(ObjectNode record, String field, int bytes) {
        JsonNode id = record.get(field);
        if (id == null || !id.isTextual() || id.asText().isEmpty()) {
            return;
        }
        String hex = id.asText();
        if (hex.length() != 2 * bytes || !hexDigits(hex)) {
            throw invalid("a log record's " + field + " is not " + 2 * bytes + " hex digits",
                    field + " must be " + 2 * bytes + " hex digits, got '" + abbreviated(hex) + "'");
        }
        record.put(field, Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex)));
    }

    private static boolean hexDigits(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (!HexFormat.isHexDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static PacketRejectedException invalid(String error, String problem) {
        return new PacketRejectedException(400, error, List.of(new Violation("$", problem)));
    }

    private static String abbreviated(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    private static String firstLine(String text) {
        if (text == null || text.isBlank()) {
            return "unreadable";
        }
        int nl = text.indexOf('\n');
        String line = nl < 0 ? text : text.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
