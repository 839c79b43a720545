package dev.logdist.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.logdist.config.DistributorConfig.Limits;
import dev.logdist.model.Chunk;
import dev.logdist.model.LogPacket;
import dev.logdist.validation.PacketParser;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PacketChunkerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final PacketParser parser = new PacketParser(new Limits(1 << 20, 10_000, 65_536, 64, 500));

    static String packet(String idField, int messages) {
        String list = IntStream.range(0, messages)
                .mapToObj(i -> "{\"timestamp\":\"2026-11-25T10:00:00Z\",\"level\":\"info\",\"message\":\"m" + i + "\","
                        + "\"attributes\":{\"n\":\"" + i + "\"}}")
                .collect(Collectors.joining(","));
        return "{\"agentId\":\"agent-1\"," + idField + "\"messages\":[" + list + "]}";
    }

    private LogPacket parse(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void should_forward_a_small_packet_as_the_bytes_it_arrived_as() {
        LogPacket p = parse(packet("\"packetId\":\"p-1\",", 3));
        List<Chunk> chunks = new PacketChunker(500).chunks(p, "p-1");
        assertThat(chunks).singleElement().satisfies(c -> {
            assertThat(c.chunkId()).isEqualTo("p-1");
            assertThat(c.messages()).isEqualTo(3);
            assertThat(c.json()).isSameAs(p.json());
        });
    }

    @Test
    void should_add_the_assigned_id_to_a_packet_that_had_none() throws Exception {
        LogPacket p = parse("  " + packet("", 2));
        Chunk c = new PacketChunker(500).chunks(p, "assigned-1").get(0);
        JsonNode tree = JSON.readTree(c.json());
        assertThat(tree.get("packetId").asText()).isEqualTo("assigned-1");
        assertThat(tree.get("messages")).hasSize(2);
        assertThat(tree.get("agentId").asText()).isEqualTo("agent-1");
    }

    @Test
    void should_rewrite_a_packet_with_an_explicit_null_id_without_duplicating_the_key() throws Exception {
        LogPacket p = parse(packet("\"packetId\":null,", 2));
        Chunk c = new PacketChunker(500).chunks(p, "assigned-2").get(0);
        String text = new String(c.json(), StandardCharsets.UTF_8);
        assertThat(text.split("\"packetId\"", -1)).hasSize(2);
        assertThat(JSON.readTree(c.json()).get("packetId").asText()).isEqualTo("assigned-2");
    }

    @Test
    void should_split_a_large_packet_into_near_equal_numbered_chunks_keeping_every_message() throws Exception {
        LogPacket p = parse(packet("\"packetId\":\"big\",", 1201));
        List<Chunk> chunks = new PacketChunker(500).chunks(p, "big");
        assertThat(chunks).extracting(Chunk::chunkId).containsExactly("big#1", "big#2", "big#3");
        assertThat(chunks).extracting(Chunk::messages).containsExactly(400, 400, 401);
        int next = 0;
        for (Chunk c : chunks) {
            JsonNode tree = JSON.readTree(c.json());
            assertThat(tree.get("packetId").asText()).isEqualTo(c.chunkId());
            assertThat(tree.get("messages")).hasSize(c.messages());
            for (JsonNode m : tree.get("messages")) {
                assertThat(m.get("message").asText()).isEqualTo("m" + next);
                assertThat(m.get("attributes").get("n").asText()).isEqualTo(String.valueOf(next));
                assertThat(m.get("level").asText()).as("forwarded as the agent wrote it").isEqualTo("info");
                next++;
            }
        }
        assertThat(next).isEqualTo(1201);
    }

    @Test
    void should_cut_split_chunks_from_the_bytes_received_escapes_and_all() {
        String odd = "{\"timestamp\":\"2026-11-25T10:00:00Z\", \"level\":\"warn\",\"message\":\"caf\u00e9 \\\"q\\\" \\u2713\"}";
        String json = "{\"agentId\":\"agent\\\"7\\\"\",\"packetId\":\"p\",\"messages\":[" + odd + "," + odd + "," + odd + "]}";
        List<Chunk> chunks = new PacketChunker(2).chunks(parse(json), "p");
        assertThat(chunks).extracting(c -> new String(c.json(), StandardCharsets.UTF_8)).containsExactly(
                "{\"agentId\":\"agent\\\"7\\\"\",\"packetId\":\"p#1\",\"messages\":[" + odd + "]}",
                "{\"agentId\":\"agent\\\"7\\\"\",\"packetId\":\"p#2\",\"messages\":[" + odd + "," + odd + "]}");
    }

    @Test
    void should_assign_distinct_uuid_ids() {
        LogPacket p = parse(packet("", 1));
        String a = PacketChunker.packetIdOf(p);
        String b = PacketChunker.packetIdOf(p);
        assertThat(a).isNotEqualTo(b).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    }
}
