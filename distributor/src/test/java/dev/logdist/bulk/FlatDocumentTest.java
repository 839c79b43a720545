package dev.logdist.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FlatDocumentTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NOW = "2026-12-01T12:00:00Z";
    private static final int MAX_ATTRIBUTES = 4;

    private final FlatDocument flat = new FlatDocument(100_000, MAX_ATTRIBUTES);
    private final DocumentMapper tree = new DocumentMapper(MAX_ATTRIBUTES);

    private DocumentMapper.Mapped flat(String doc) {
        byte[] bytes = ("  " + doc + "\n").getBytes(StandardCharsets.UTF_8);
        return flat.map(bytes, 2, bytes.length - 3, NOW);
    }

    @Test
    void should_map_the_documents_shippers_send_in_one_pass() {
        DocumentMapper.Mapped m = flat("{\"@timestamp\":\"2026-11-25T10:00:00.001Z\",\"log.level\":\"INFO\","
                + "\"host.name\":\"web-1\",\"service.name\":\"checkout\",\"message\":\"payment gateway timeout\","
                + "\"trace.id\":\"a1b2c3\",\"region\":\"eu-west-1\"}");
        assertThat(m).isNotNull();
        assertThat(m.timestamp()).isEqualTo("2026-11-25T10:00:00.001Z");
        assertThat(m.source()).isEqualTo("web-1");
        assertThat(m.attributes()).containsExactly(Map.entry("trace.id", "a1b2c3"), Map.entry("region", "eu-west-1"));
        // Fluent Bit's tail input: the line is "log", the time epoch millis or absent
        assertThat(flat("{\"log\":\"GET / 200\",\"stream\":\"stdout\",\"@timestamp\":1764064800123}"))
                .extracting(DocumentMapper.Mapped::message, DocumentMapper.Mapped::timestamp)
                .containsExactly("GET / 200", "2025-11-25T10:00:00.123Z");
    }

    @Test
    void should_leave_to_the_tree_what_is_not_flat_or_not_everyday() {
        assertThat(flat("{\"message\":\"x\",\"host\":{\"name\":\"a\"}}")).isNull();
        assertThat(flat("{\"message\":\"x\",\"tags\":[\"a\"]}")).isNull();
        assertThat(flat("{\"message\":\"x\",\"ratio\":0.5}")).isNull();
        assertThat(flat("{\"message\":\"x\",\"@timestamp\":\"2026-11-25T10:00:00\"}")).isNull();
        assertThat(flat("{\"message\":\"x\",\"a\":1,\"a\":2}")).isNull();
        assertThat(flat("{\"message\":\"x\"} {}")).isNull();
        assertThat(flat("{\"level\":\"INFO\"}")).isNull();
        assertThat(flat("[1]")).isNull();
        assertThat(flat("{\"message\":\"x\",")).isNull();
    }

    /** Random flat documents over the fields the mapping treats specially: wherever the pass maps, the tree agrees. */
    @Test
    void should_map_every_flat_document_exactly_as_the_tree_mapper_does() throws Exception {
        Random random = new Random(20261201);
        int mapped = 0;
        for (int n = 0; n < 20_000; n++) {
            String doc = randomDocument(random);
            DocumentMapper.Mapped fast = flat(doc);
            DocumentMapper.Mapped slow = tree.map((ObjectNode) JSON.readTree(doc), NOW);
            if (fast == null) {
                continue;
            }
            mapped++;
            assertThat(slow.isRefused()).as(doc).isFalse();
            assertThat(fast).as(doc).isEqualTo(slow);
            assertThat(new ArrayList<>(fast.attributes().entrySet())).as(doc)
                    .isEqualTo(new ArrayList<>(slow.attributes().entrySet()));
        }
        assertThat(mapped).as("documents the one pass mapped").isGreaterThan(3_000);
    }

    private static final String[] NAMES = {"@timestamp", "message", "log", "log.level", "level", "host", "host.name",
        "service", "service.name", "a", "b.c", "", "n".repeat(300), "region", "trace.id"};
    private static final String[] VALUES = {"\"2026-11-25T10:00:00.123Z\"", "\"2026-11-25T10:00:00+02:00\"",
        "\"2026-11-25T10:00:00\"", "1764064800123", "\"warn\"", "\"err\"", "\"bogus\"", "3", "-0", "true", "false",
        "null", "\"web-1\"", "\"  \"", "\"\"", "\"" + "v".repeat(9_000) + "\"", "\"caf\\u00e9\"", "12345678901234567890"};

    private static String randomDocument(Random random) {
        List<String> fields = new ArrayList<>();
        int count = random.nextInt(9);
        for (int i = 0; i < count; i++) {
            String name = NAMES[random.nextInt(NAMES.length)];
            fields.add("\"" + name + "\":" + VALUES[random.nextInt(VALUES.length)]);
        }
        if (random.nextInt(3) > 0) {
            fields.add(random.nextInt(fields.size() + 1), "\"message\":\"hello " + random.nextInt(100) + "\"");
        }
        return "{" + String.join(",", fields) + "}";
    }
}
