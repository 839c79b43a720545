package dev.logdist.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.logdist.config.DistributorConfig.Limits;
import dev.logdist.ingest.PacketChunker;
import dev.logdist.model.Chunk;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-message mode: the valid messages of a packet are taken, the invalid ones refused by index. */
class PacketParserEachMessageTest {

    private final PacketParser parser = new PacketParser(new Limits(1 << 20, 5, 20, 2, 5));

    private static String message(String level, String text) {
        return "{\"timestamp\":\"2026-11-25T10:00:00Z\",\"level\":\"" + level + "\",\"message\":\"" + text + "\"}";
    }

    private PacketParser.Parsed parse(String json) {
        return parser.parseEach(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void should_take_the_valid_messages_and_refuse_the_others_by_index() {
        PacketParser.Parsed parsed = parse("{\"agentId\":\"a\",\"packetId\":\"p\",\"messages\":["
                + message("INFO", "one") + "," + message("LOUD", "two") + "," + message("WARN", "three") + ","
                + "{\"level\":\"INFO\",\"message\":\"four\"}]}");
        assertThat(parsed.packet().messageCount()).isEqualTo(2);
        assertThat(parsed.packet().complete()).isFalse();
        assertThat(parsed.refused()).extracting(Refusal::index).containsExactly(1, 3);
        assertThat(parsed.refused().get(0).violations()).extracting(Violation::path).containsExactly("messages[1].level");
        assertThat(parsed.refused().get(1).violations()).extracting(Violation::path).containsExactly("messages[3].timestamp");

        List<Chunk> chunks = new PacketChunker(100).chunks(parsed.packet(), "p");
        String forwarded = new String(chunks.get(0).json(), StandardCharsets.UTF_8);
        assertThat(forwarded).contains("one", "three").doesNotContain("two", "four");
        assertThat(chunks.get(0).messages()).isEqualTo(2);
    }

    @Test
    void should_forward_a_packet_with_nothing_refused_as_it_arrived() {
        String json = "{\"agentId\":\"a\",\"packetId\":\"p\",\"messages\":[" + message("INFO", "one") + "]}";
        PacketParser.Parsed parsed = parse(json);
        assertThat(parsed.refused()).isEmpty();
        assertThat(parsed.packet().complete()).isTrue();
        assertThat(new PacketChunker(100).chunks(parsed.packet(), "p").get(0).json())
                .isEqualTo(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void should_still_reject_whole_a_packet_without_a_valid_message_or_with_a_packet_level_fault() {
        PacketRejectedException none = catchThrowableOfType(PacketRejectedException.class,
                () -> parse("{\"agentId\":\"a\",\"messages\":[" + message("LOUD", "x") + "]}"));
        assertThat(none.violations()).extracting(Violation::path).containsExactly("messages[0].level");

        PacketRejectedException noAgent = catchThrowableOfType(PacketRejectedException.class,
                () -> parse("{\"messages\":[" + message("INFO", "x") + "," + message("LOUD", "y") + "]}"));
        assertThat(noAgent.violations()).extracting(Violation::path).containsExactly("agentId");
    }
}
