package dev.logdist.lines;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.logdist.config.DistributorConfig;
import dev.logdist.config.ShippedSettings;
import dev.logdist.ingest.NativePacket;
import dev.logdist.ingest.Translation;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The default mapping of a record's keys to a native message, and the settings that change it. */
class RecordMappingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    private static DistributorConfig config(Map<String, String> overrides) throws Exception {
        Map<String, String> settings = ShippedSettings.load();
        settings.putAll(overrides);
        return DistributorConfig.from(settings::get);
    }

    /** The native message (or the refusal) {@code record} becomes under the shipped settings plus {@code overrides}. */
    private static JsonNode map(String record, Map<String, String> overrides) throws Exception {
        DistributorConfig config = config(overrides);
        RecordMapping mapping = new RecordMapping(config.ingest().lines(), config.limits().maxAttributes(), () -> NOW);
        NativePacket packet = NativePacket.of("agent", null);
        mapping.write(packet, 0, record(record));
        Translation t = packet.finish();
        if (!t.refused().isEmpty()) {
            return JSON.valueToTree(t.refused().get(0));
        }
        return JSON.readTree(t.packet()).get("messages").get(0);
    }

    /** The record as the intake reads it (exact decimals). */
    private static ObjectNode record(String json) {
        Records records = new Records(new dev.logdist.validation.JsonGuard(32, 1 << 20).factory(), 10);
        return records.lines(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)).get(0).record();
    }

    private static JsonNode map(String record) throws Exception {
        return map(record, Map.of());
    }

    @Test
    void should_map_a_vector_event() throws Exception {
        JsonNode m = map("{\"timestamp\":\"2026-12-01T10:00:00.123456Z\",\"message\":\"GET /\",\"host\":\"web-1\","
                + "\"source_type\":\"file\",\"status\":200,\"ok\":true,\"tags\":[\"a\",\"b\"],\"kube\":{\"pod\":\"p\"}}");
        assertThat(m.get("timestamp").asText()).isEqualTo("2026-12-01T10:00:00.123456Z");
        assertThat(m.get("message").asText()).isEqualTo("GET /");
        assertThat(m.get("level").asText()).isEqualTo("INFO");
        assertThat(m.get("source").asText()).isEqualTo("web-1");
        assertThat(m.has("service")).isFalse();
        assertThat(m.get("attributes")).isEqualTo(JSON.readTree("{\"source_type\":\"file\",\"status\":\"200\","
                + "\"ok\":\"true\",\"tags\":\"[\\\"a\\\",\\\"b\\\"]\",\"kube\":\"{\\\"pod\\\":\\\"p\\\"}\"}"));
    }

    @Test
    void should_map_a_fluent_bit_record_with_epoch_seconds_and_a_fraction() throws Exception {
        JsonNode m = map("{\"date\":1796119200.123456,\"log\":\"disk full\",\"severity\":\"crit\",\"hostname\":\"db-2\","
                + "\"app\":\"postgres\"}");
        assertThat(m.get("timestamp").asText()).isEqualTo("2026-12-01T10:00:00.123456Z");
        assertThat(m.get("message").asText()).isEqualTo("disk full");
        assertThat(m.get("level").asText()).isEqualTo("ERROR");
        assertThat(m.get("source").asText()).isEqualTo("db-2");
        assertThat(m.get("service").asText()).isEqualTo("postgres");
        assertThat(m.has("attributes")).isFalse();
    }

    @Test
    void should_take_epoch_seconds_as_a_string_milliseconds_and_iso_as_it_is() throws Exception {
        assertThat(map("{\"time\":\"1796119200.5\",\"msg\":\"x\"}").get("timestamp").asText())
                .isEqualTo("2026-12-01T10:00:00.500Z");
        assertThat(map("{\"time\":1796119200123,\"msg\":\"x\"}").get("timestamp").asText())
                .isEqualTo("2026-12-01T10:00:00.123Z");
        assertThat(map("{\"@timestamp\":\"2026-12-01T11:00:00+01:00\",\"msg\":\"x\"}").get("timestamp").asText())
                .isEqualTo("2026-12-01T11:00:00+01:00");
        assertThat(map("{\"msg\":\"no time\"}").get("timestamp").asText()).as("received now").isEqualTo("2026-12-01T12:00:00Z");
    }

    @Test
    void should_refuse_a_timestamp_that_is_no_time_naming_the_records_key() throws Exception {
        JsonNode r = map("{\"date\":true,\"message\":\"x\"}");
        assertThat(r.get("index").asInt()).isZero();
        assertThat(r.at("/violations/0/path").asText()).isEqualTo("[0].date");
        assertThat(map("{\"date\":1e999999,\"message\":\"x\"}").at("/violations/0/path").asText()).isEqualTo("[0].date");
    }

    @Test
    void should_map_syslog_levels_and_refuse_unknown_ones() throws Exception {
        assertThat(map("{\"message\":\"x\",\"level\":\"emerg\"}").get("level").asText()).isEqualTo("FATAL");
        assertThat(map("{\"message\":\"x\",\"level\":\"WARNING\"}").get("level").asText()).isEqualTo("WARN");
        assertThat(map("{\"message\":\"x\",\"log\":{\"level\":\"notice\"}}").get("level").asText())
                .as("log.level as a path into an object").isEqualTo("INFO");
        assertThat(map("{\"message\":\"x\",\"log.level\":\"debug\"}").get("level").asText()).isEqualTo("DEBUG");
        JsonNode r = map("{\"message\":\"x\",\"severity\":\"loud\"}");
        assertThat(r.at("/violations/0/path").asText()).isEqualTo("[0].severity");
        assertThat(r.at("/violations/0/problem").asText()).contains("emerg", "'loud'");
    }

    @Test
    void should_refuse_a_record_without_a_message() throws Exception {
        JsonNode r = map("{\"level\":\"info\",\"text\":\"x\"}");
        assertThat(r.at("/violations/0/path").asText()).isEqualTo("[0].message");
        assertThat(r.at("/violations/0/problem").asText()).contains("message, log, msg");
    }

    @Test
    void should_keep_attributes_within_the_native_limits() throws Exception {
        StringBuilder record = new StringBuilder("{\"message\":\"x\",\"\":\"empty name\",\"" + "n".repeat(257) + "\":1,"
                + "\"long\":\"" + "v".repeat(9000) + "\",\"nothing\":null");
        for (int i = 0; i < 60; i++) {
            record.append(",\"k").append(i).append("\":").append(i);
        }
        JsonNode attributes = map(record.append('}').toString(), Map.of("distributor.max-attributes", "8")).get("attributes");
        assertThat(attributes.get("long").asText()).hasSize(RecordMapping.MAX_VALUE_CHARS);
        assertThat(attributes.has("")).isFalse();
        assertThat(attributes.has("nothing")).isFalse();
        int max = 8;
        assertThat(attributes.size()).isEqualTo(max);
        assertThat(attributes.has("k" + (max - 2))).isTrue();
        assertThat(attributes.has("k" + (max - 1))).as("past the limit, in the record's order").isFalse();
    }

    @Test
    void should_follow_the_configured_field_names() throws Exception {
        Map<String, String> names = Map.of("distributor.lines.timestamp-fields", "ts", "distributor.lines.message-fields",
                "text", "distributor.lines.level-fields", "lvl", "distributor.lines.source-fields", "node",
                "distributor.lines.service-fields", "unit", "distributor.lines.default-level", "warn");
        JsonNode m = map("{\"ts\":0,\"text\":\"hello\",\"node\":\"n1\",\"unit\":\"u\",\"message\":\"an attribute now\"}", names);
        assertThat(m.get("timestamp").asText()).isEqualTo("1970-01-01T00:00:00Z");
        assertThat(m.get("message").asText()).isEqualTo("hello");
        assertThat(m.get("level").asText()).isEqualTo("WARN");
        assertThat(m.get("source").asText()).isEqualTo("n1");
        assertThat(m.get("service").asText()).isEqualTo("u");
        assertThat(m.at("/attributes/message").asText()).isEqualTo("an attribute now");
    }

    @Test
    void should_name_the_keys_that_fed_each_field() throws Exception {
        DistributorConfig config = config(Map.of());
        RecordMapping mapping = new RecordMapping(config.ingest().lines(), 8, () -> NOW);
        Map<String, String> keys = mapping.keysFor(record("{\"log\":\"x\",\"program\":\"p\"}"));
        assertThat(keys.values()).containsExactly("timestamp", "log", "level", "host", "program");
        assertThat(RecordMapping.FIELDS).isEqualTo(List.of("timestamp", "message", "level", "source", "service"));
    }
}
