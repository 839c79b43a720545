package dev.logdist.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.logdist.config.DistributorConfig.Limits;
import dev.logdist.model.Level;
import dev.logdist.model.LogPacket;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PacketParserTest {

    private final PacketParser parser = new PacketParser(new Limits(1 << 20, 5, 20, 2, 5));

    private static final String OK_MESSAGE = "{\"timestamp\":\"2026-11-25T10:00:00.123Z\",\"level\":\"INFO\",\"message\":\"hi\"}";

    private LogPacket parse(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private PacketRejectedException rejected(String json) {
        PacketRejectedException e = catchThrowableOfType(PacketRejectedException.class, () -> parse(json));
        assertThat(e).as("rejection of %s", json).isNotNull();
        assertThat(e.status()).isEqualTo(400);
        return e;
    }

    @Test
    void should_read_a_full_packet_and_where_each_message_lies_in_it() {
        String first = "{\"timestamp\":\"2026-11-25T10:00:00.123+02:00\",\"level\":\"error\",\"source\":\"web-1\","
                + "\"service\":\"checkout\",\"message\":\"payment timeout \\u00e9\\\"x\\\"\","
                + "\"attributes\":{\"traceId\":\"a1\",\"region\":\"eu\"}}";
        String second = "{ \"message\" : \"caf\u00e9 \u2713\", \"level\":\"INFO\",\"timestamp\":\"2026-11-25T10:00:01Z\" }";
        String json = "{\"agentId\":\"agent-7\",\"packetId\":\"3f1c\",\"messages\":[" + first + " ,\n " + second + "]}";
        LogPacket p = parse(json);
        assertThat(p.agentId()).isEqualTo("agent-7");
        assertThat(p.packetId()).isEqualTo("3f1c");
        assertThat(p.messageCount()).isEqualTo(2);
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        int[] b = p.messageBounds();
        assertThat(new String(bytes, b[0], b[1] - b[0], StandardCharsets.UTF_8)).isEqualTo(first);
        assertThat(new String(bytes, b[2], b[3] - b[2], StandardCharsets.UTF_8)).isEqualTo(second);
    }

    @Test
    void should_refuse_a_name_given_twice_in_the_packet_a_message_or_its_attributes() {
        String message = "{\"timestamp\":\"2026-11-25T10:00:00Z\",\"level\":\"INFO\",\"message\":\"a\",\"level\":\"ERROR\","
                + "\"attributes\":{\"k\":\"1\",\"j\":\"2\",\"k\":\"3\"}}";
        PacketRejectedException e = rejected("{\"agentId\":\"a\",\"agentId\":\"b\",\"messages\":[" + OK_MESSAGE + "," + message + "]}");
        assertThat(e.violations()).extracting(Violation::path)
                .containsExactly("agentId", "messages[1].level", "messages[1].attributes.k");
        assertThat(e.violations()).allSatisfy(v -> assertThat(v.problem()).isEqualTo("appears more than once in the same object"));
    }

    @Test
    void should_reject_malformed_json_with_its_position() {
        PacketRejectedException e = rejected("{\"agentId\": \"a\",\n \"messages\": [}");
        assertThat(e.getMessage()).startsWith("the body is not valid JSON at line 2, column");
        assertThat(e.violations()).singleElement().extracting(Violation::path).isEqualTo("$");
    }

    @Test
    void should_reject_an_empty_body_and_a_non_object() {
        assertThat(rejected("").getMessage()).isEqualTo("the request body is empty");
        assertThat(rejected("[1,2]").violations()).containsExactly(new Violation("$", "a packet must be a JSON object"));
        assertThat(rejected("{\"agentId\":\"a\",\"messages\":[" + OK_MESSAGE + "]} {}").violations())
                .containsExactly(new Violation("$", "unexpected content after the packet object"));
    }

    @Test
    void should_require_agent_id_and_messages() {
        assertThat(rejected("{}").violations()).containsExactly(
                new Violation("agentId", "is required"), new Violation("messages", "is required"));
        assertThat(rejected("{\"agentId\":null,\"messages\":[]}").violations()).containsExactly(
                new Violation("agentId", "is required"), new Violation("messages", "must hold at least 1 message"));
        assertThat(rejected("{\"agentId\":\"a b\",\"messages\":{}}").violations()).extracting(Violation::path)
                .containsExactly("agentId", "messages");
    }

    @Test
    void should_reject_a_packet_id_with_a_hash_or_of_the_wrong_type() {
        assertThat(rejected("{\"agentId\":\"a\",\"packetId\":\"x#1\",\"messages\":[" + OK_MESSAGE + "]}").violations())
                .containsExactly(new Violation("packetId", "may not contain '#', which marks the parts of a split packet"));
        assertThat(rejected("{\"agentId\":\"a\",\"packetId\":7,\"messages\":[" + OK_MESSAGE + "]}").violations())
                .containsExactly(new Violation("packetId", "must be a string"));
    }

    @Test
    void should_name_every_invalid_field_of_every_message() {
        PacketRejectedException e = rejected("{\"agentId\":\"a\",\"messages\":[" + OK_MESSAGE + ","
                + "{\"timestamp\":\"2026-11-25 10:00\",\"level\":\"LOUD\",\"message\":\" \",\"colour\":\"red\"},"
                + "{\"timestamp\":\"2026-11-25T10:00:00\",\"level\":3,\"message\":\"x\",\"source\":5},"
                + "{\"level\":\"warn\"},"
                + "\"just text\"]}");
        assertThat(e.violations()).extracting(Violation::path).containsExactly(
                "messages[1].timestamp", "messages[1].level", "messages[1].message", "messages[1].colour",
                "messages[2].timestamp", "messages[2].level", "messages[2].source",
                "messages[3].timestamp", "messages[3].message",
                "messages[4]");
        assertThat(e.getMessage()).isEqualTo("the packet has 10 invalid fields; nothing was accepted");
        assertThat(e.violations().get(1).problem()).contains("TRACE, DEBUG, INFO, WARN, ERROR, FATAL").contains("LOUD");
        assertThat(e.violations().get(4).problem()).contains("with an offset");
    }

    @Test
    void should_enforce_the_limits() {
        String six = IntStream.range(0, 6).mapToObj(i -> OK_MESSAGE).collect(Collectors.joining(","));
        assertThat(rejected("{\"agentId\":\"a\",\"messages\":[" + six + "]}").violations()).singleElement()
                .satisfies(v -> assertThat(v.problem()).startsWith("holds more than 5 messages"));
        String longText = "x".repeat(21);
        assertThat(rejected("{\"agentId\":\"a\",\"messages\":[{\"timestamp\":\"2026-11-25T10:00:00Z\",\"level\":\"INFO\","
                + "\"message\":\"" + longText + "\"}]}").violations())
                .containsExactly(new Violation("messages[0].message", "is 21 characters long; at most 20 are allowed"));
        assertThat(rejected("{\"agentId\":\"a\",\"messages\":[{\"timestamp\":\"2026-11-25T10:00:00Z\",\"level\":\"INFO\","
                + "\"message\":\"m\",\"attributes\":{\"a\":\"1\",\"b\":\"2\",\"c\":\"3\"}}]}").violations())
                .containsExactly(new Violation("messages[0].attributes", "has more than 2 attributes (distributor.max-attributes)"));
        assertThat(rejected("{\"agentId\":\"a\",\"messages\":[{\"timestamp\":\"2026-11-25T10:00:00Z\",\"level\":\"INFO\","
                + "\"message\":\"m\",\"attributes\":{\"a\":1}}]}").violations())
                .containsExactly(new Violation("messages[0].attributes.a", "must be a string"));
    }

    @Test
    void should_list_at_most_one_hundred_violations_but_count_them_all() {
        PacketParser roomy = new PacketParser(new Limits(1 << 20, 1000, 100, 2, 5));
        String bad = IntStream.range(0, 150).mapToObj(i -> "{\"level\":\"INFO\",\"message\":\"m\"}").collect(Collectors.joining(","));
        PacketRejectedException e = catchThrowableOfType(PacketRejectedException.class,
                () -> roomy.parse(("{\"agentId\":\"a\",\"messages\":[" + bad + "]}").getBytes(StandardCharsets.UTF_8)));
        assertThat(e.violations()).hasSize(100);
        assertThat(e.getMessage()).isEqualTo("the packet has 150 invalid fields (the first 100 are listed); nothing was accepted");
    }

    @Test
    void should_name_a_blank_unknown_field_with_a_readable_path() {
        assertThat(rejected("{\"agentId\":\"a\",\"\":1,\" \":2,\"messages\":[" + OK_MESSAGE + "]}").violations())
                .extracting(Violation::path).containsExactly("$[\"\"]", "$[\" \"]");
    }

    @Test
    void should_reject_absurd_nesting() {
        String deep = "[".repeat(500) + "]".repeat(500);
        PacketRejectedException tooDeep = rejected("{\"agentId\":\"a\",\"extra\":" + deep + ",\"messages\":[" + OK_MESSAGE + "]}");
        assertThat(tooDeep.getMessage()).isEqualTo("the body is over a JSON limit: nested deeper than 32 levels (distributor.max-json-depth)");
        assertThat(tooDeep.violations()).singleElement().extracting(Violation::path).asString().startsWith("extra[0][0]");
    }
}
