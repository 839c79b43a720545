package dev.logdist.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class BulkAnswersTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void should_answer_each_item_with_its_status_and_names_escaped() throws Exception {
        DocumentMapper.Mapped doc = new DocumentMapper.Mapped("2026-11-25T10:00:00Z", "INFO", "m", null, null,
                java.util.Map.of(), null, null);
        BulkOutcome outcome = new BulkOutcome(List.of(
                BulkItem.taken("index", "logs-\"a\"\\b", "id-\u00e9\u0001", doc),
                BulkItem.refused("delete", "logs", "7", "illegal_argument_exception", "no\nway \"here\""),
                BulkItem.taken("create", "logs", "id-2", doc)));
        JsonNode answer = JSON.readTree(BulkAnswers.items(outcome, 3, false));
        assertThat(answer.get("took").asLong()).isEqualTo(3);
        assertThat(answer.get("errors").asBoolean()).isTrue();
        JsonNode first = answer.get("items").get(0).get("index");
        assertThat(first.get("_index").asText()).isEqualTo("logs-\"a\"\\b");
        assertThat(first.get("_id").asText()).isEqualTo("id-\u00e9\u0001");
        assertThat(first.get("status").asInt()).isEqualTo(201);
        assertThat(first.get("result").asText()).isEqualTo("created");
        assertThat(first.get("_shards").get("successful").asInt()).isEqualTo(1);
        JsonNode refused = answer.get("items").get(1).get("delete");
        assertThat(refused.get("status").asInt()).isEqualTo(400);
        assertThat(refused.get("error").get("type").asText()).isEqualTo("illegal_argument_exception");
        assertThat(refused.get("error").get("reason").asText()).isEqualTo("no\nway \"here\"");
        assertThat(answer.get("items").get(2).get("create").get("_seq_no").asInt()).isEqualTo(2);
        JsonNode rejected = JSON.readTree(BulkAnswers.items(outcome, 3, true));
        assertThat(rejected.get("items").get(0).get("index").get("status").asInt()).isEqualTo(429);
        assertThat(JSON.readTree(BulkAnswers.items(new BulkOutcome(List.of(BulkItem.taken("index", "l", "1", doc))), 0,
                false)).get("errors").asBoolean()).isFalse();
    }
}
