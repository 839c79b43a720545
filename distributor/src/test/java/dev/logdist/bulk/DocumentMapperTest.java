package dev.logdist.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class DocumentMapperTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NOW = "2026-12-01T12:00:00Z";
    private final DocumentMapper mapper = new DocumentMapper(4);

    private DocumentMapper.Mapped map(String doc) throws Exception {
        return mapper.map((ObjectNode) JSON.readTree(doc), NOW);
    }

    @Test
    void should_map_nested_ecs_fields_and_keep_the_rest_as_dotted_attributes() throws Exception {
        DocumentMapper.Mapped m = map("{\"@timestamp\":\"2026-11-25T10:00:00.123Z\",\"message\":\"hello\","
                + "\"log\":{\"level\":\"warning\",\"logger\":\"app\"},\"host\":{\"name\":\"web-1\",\"ip\":[\"10.0.0.1\"]},"
                + "\"service\":{\"name\":\"checkout\"},\"n\":3,\"gone\":null}");
        assertThat(m.isRefused()).isFalse();
        assertThat(m.timestamp()).isEqualTo("2026-11-25T10:00:00.123Z");
        assertThat(m.level()).isEqualTo("WARN");
        assertThat(m.message()).isEqualTo("hello");
        assertThat(m.source()).isEqualTo("web-1");
        assertThat(m.service()).isEqualTo("checkout");
        assertThat(m.attributes()).containsExactly(java.util.Map.entry("log.logger", "app"),
                java.util.Map.entry("host.ip", "[\"10.0.0.1\"]"), java.util.Map.entry("n", "3"));
    }

    @Test
    void should_map_flat_dotted_keys_and_a_plain_host() throws Exception {
        DocumentMapper.Mapped m = map("{\"message\":\"x\",\"log.level\":\"err\",\"host\":\"db-2\",\"service.name\":\"s\"}");
        assertThat(m.level()).isEqualTo("ERROR");
        assertThat(m.source()).isEqualTo("db-2");
        assertThat(m.service()).isEqualTo("s");
        assertThat(m.attributes()).isEmpty();
    }

    @Test
    void should_default_to_info_at_the_time_of_receipt() throws Exception {
        DocumentMapper.Mapped m = map("{\"message\":\"x\"}");
        assertThat(m.level()).isEqualTo("INFO");
        assertThat(m.timestamp()).isEqualTo(NOW);
        assertThat(map("{\"message\":\"x\",\"level\":\"DEBUG\"}").level()).isEqualTo("DEBUG");
    }

    @Test
    void should_read_epoch_millis_and_times_without_an_offset_as_utc() throws Exception {
        assertThat(map("{\"message\":\"x\",\"@timestamp\":1764064800123}").timestamp()).isEqualTo("2025-11-25T10:00:00.123Z");
        assertThat(map("{\"message\":\"x\",\"@timestamp\":\"2026-11-25T10:00:00\"}").timestamp())
                .isEqualTo("2026-11-25T10:00Z");
        assertThat(map("{\"message\":\"x\",\"@timestamp\":\"2026-11-25\"}").timestamp()).isEqualTo("2026-11-25T00:00Z");
        assertThat(map("{\"message\":\"x\",\"@timestamp\":\"2026-11-25T10:00:00+02:00\"}").timestamp())
                .isEqualTo("2026-11-25T10:00:00+02:00");
    }

    @Test
    void should_refuse_naming_the_field() throws Exception {
        assertThat(map("{\"message\":\"x\",\"@timestamp\":\"yesterday\"}").reason()).contains("[@timestamp]");
        assertThat(map("{\"msg\":\"x\"}").reason()).contains("[message]");
        assertThat(map("{\"message\":{\"a\":1}}").reason()).contains("[message]");
        DocumentMapper.Mapped level = map("{\"message\":\"x\",\"log.level\":\"loud\"}");
        assertThat(level.errorType()).isEqualTo("illegal_argument_exception");
        assertThat(level.reason()).contains("[log.level]", "loud");
    }

    @Test
    void should_take_fluent_bits_log_key_as_the_message() throws Exception {
        assertThat(map("{\"log\":\"a line\",\"stream\":\"stdout\"}").message()).isEqualTo("a line");
    }

    @Test
    void should_keep_attributes_within_the_limits_and_say_how_many_were_dropped() throws Exception {
        String longName = "k".repeat(300);
        String longValue = "v".repeat(9000);
        DocumentMapper.Mapped m = map("{\"message\":\"x\",\"a\":1,\"" + longName + "\":2,\"b\":\"" + longValue
                + "\",\"c\":3,\"d\":4,\"e\":5}");
        assertThat(m.attributes()).containsOnlyKeys("a", "b", "c", DocumentAttributes.DROPPED);
        assertThat(m.attributes().get("b")).hasSize(DocumentAttributes.MAX_VALUE_CHARS);
        // the long name, d and e dropped
        assertThat(m.attributes().get(DocumentAttributes.DROPPED)).isEqualTo("3");
    }

    @Test
    void should_need_no_marker_when_the_attributes_fit() throws Exception {
        assertThat(map("{\"message\":\"x\",\"a\":1,\"b\":2,\"c\":3,\"d\":4}").attributes()).containsOnlyKeys("a", "b", "c", "d");
    }
}
