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
}
