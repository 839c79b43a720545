package dev.logdist.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BulkReaderTest {

    private final BulkReader reader = new BulkReader(8, 10_000, 5, 64);

    private List<BulkItem> read(String body, String index) {
        return reader.read(body.getBytes(StandardCharsets.UTF_8), index, "2026-12-01T12:00:00Z");
    }

    @Test
    void should_pair_actions_with_documents_and_take_the_index_from_the_action_line_first() {
        List<BulkItem> items = read("{\"index\":{\"_index\":\"own\",\"_id\":\"7\"}}\n{\"message\":\"a\"}\n"
                + "{\"create\":{}}\r\n{\"message\":\"b\"}\r\n", "path");
        assertThat(items).extracting(BulkItem::action).containsExactly("index", "create");
        assertThat(items).extracting(BulkItem::index).containsExactly("own", "path");
        assertThat(items.get(0).id()).isEqualTo("7");
        assertThat(items.get(1).id()).isNotBlank();
        assertThat(items.get(1).document().message()).isEqualTo("b");
        assertThat(items).noneMatch(BulkItem::isRefused);
    }

    @Test
    void should_take_a_last_line_without_a_newline_and_default_the_index() {
        List<BulkItem> items = read("{\"index\":{}}\n{\"message\":\"a\"}", null);
        assertThat(items).singleElement().satisfies(i -> {
            assertThat(i.isRefused()).isFalse();
            assertThat(i.index()).isEqualTo(BulkReader.DEFAULT_INDEX);
        });
    }

    @Test
    void should_refuse_delete_update_and_bad_documents_by_item_and_keep_the_pairing() {
        List<BulkItem> items = read("{\"delete\":{\"_id\":\"1\"}}\n{\"update\":{\"_id\":\"2\"}}\n{\"doc\":{}}\n"
                + "{\"index\":{}}\n{not json\n{\"index\":{}}\n[1,2]\n{\"index\":{}}\n{\"message\":\"ok\"}\n", null);
        assertThat(items).extracting(BulkItem::errorType).containsExactly("illegal_argument_exception",
                "illegal_argument_exception", "mapper_parsing_exception", "mapper_parsing_exception", null);
        assertThat(items.get(2).reason()).contains("line [5]");
        assertThat(items.get(4).document().message()).isEqualTo("ok");
    }

    @Test
    void should_refuse_an_action_without_a_document() {
        List<BulkItem> items = read("{\"index\":{}}\n{\"message\":\"a\"}\n{\"create\":{}}\n", null);
        assertThat(items.get(1).errorType()).isEqualTo("action_request_validation_exception");
        assertThat(items.get(1).reason()).contains("[create]", "line [3]");
    }

    @Test
    void should_refuse_the_whole_request_when_a_line_is_no_action() {
        assertThatThrownBy(() -> read("{\"message\":\"a document without its action\"}\n", null))
                .isInstanceOfSatisfying(BulkRejectedException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.type()).isEqualTo("illegal_argument_exception");
                    assertThat(e.getMessage()).contains("line [1]", "[message]");
                });
        assertThatThrownBy(() -> read("{\"upsert\":{}}\n{}\n", null)).hasMessageContaining("found [upsert]");
        assertThatThrownBy(() -> read("garbage\n", null)).isInstanceOfSatisfying(BulkRejectedException.class,
                e -> assertThat(e.type()).isEqualTo("parse_exception"));
        assertThatThrownBy(() -> read("\n \n", null)).hasMessageContaining("request body is required");
    }

    @Test
    void should_refuse_a_document_nested_too_deep_or_repeating_a_field_by_item() {
        String deep = "{\"a\":".repeat(20) + "1" + "}".repeat(20);
        List<BulkItem> items = read("{\"index\":{}}\n" + deep + "\n{\"index\":{}}\n{\"m\":1,\"m\":2}\n", null);
        assertThat(items).extracting(BulkItem::errorType).containsOnly("mapper_parsing_exception");
    }

    @Test
    void should_refuse_more_actions_than_a_packet_may_carry() {
        assertThatThrownBy(() -> read("{\"index\":{}}\n{\"message\":\"a\"}\n".repeat(6), null))
                .hasMessageContaining("more than 5 actions");
    }

    @Test
    void should_read_compact_action_lines_off_their_bytes_as_jackson_reads_them() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        String[] ops = {"index", "create", "delete", "update", "upsert", "ind\\u0065x"};
        String[] pairs = {"", "\"_index\":\"logs-1\"", "\"_id\":\"a b\"", "\"_type\":\"_doc\"", "\"_index\":3",
            "\"_index\":\"caf\u00e9\"", "\"_id\":\"x\\\"y\"", "\"_index\":\"a\",\"_index\":\"b\""};
        java.util.Random random = new java.util.Random(7);
        int plain = 0;
        for (int n = 0; n < 5_000; n++) {
            StringBuilder meta = new StringBuilder();
            for (int k = random.nextInt(4); k > 0; k--) {
                String pair = pairs[random.nextInt(pairs.length)];
                if (!pair.isEmpty()) {
                    meta.append(meta.length() > 0 ? "," : "").append(pair);
                }
            }
            String line = "{\"" + ops[random.nextInt(ops.length)] + "\":{" + meta + "}}" + (random.nextInt(8) == 0 ? " " : "");
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            BulkReader.Action action = BulkReader.plainAction(bytes, 0, bytes.length);
            if (action == null) {
                continue;
            }
            plain++;
            com.fasterxml.jackson.databind.JsonNode tree = json.readTree(line);
            String op = tree.fieldNames().next();
            com.fasterxml.jackson.databind.JsonNode m = tree.get(op);
            assertThat(action.op()).as(line).isEqualTo(op);
            assertThat(action.index()).as(line).isEqualTo(m.path("_index").isTextual() ? m.get("_index").asText() : null);
            assertThat(action.id()).as(line).isEqualTo(m.path("_id").isTextual() ? m.get("_id").asText() : null);
        }
        assertThat(plain).isGreaterThan(1_000);
        assertThat(BulkReader.plainAction("{ \"index\":{}}".getBytes(StandardCharsets.UTF_8), 0, 14)).isNull();
    }
}
