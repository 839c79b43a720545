package dev.logdist.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.logdist.config.DistributorConfig.Limits;
import dev.logdist.model.LogPacket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PlainPacketScannerTest {

    private static final Limits LIMITS = new Limits(1 << 20, 5, 20, 2, 5);
    private final PlainPacketScanner scanner = new PlainPacketScanner(LIMITS, 32, 200);
    private final PacketParser parser = new PacketParser(LIMITS, new JsonGuard(32, 200));

    private static final String MESSAGE = "{\"timestamp\":\"2026-11-25T10:00:00.123Z\",\"level\":\"INFO\",\"message\":\"hi\"}";

    private LogPacket scan(String json) {
        return scanner.scan(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String packet(String... messages) {
        return "{\"agentId\":\"a-1\",\"messages\":[" + String.join(",", messages) + "]}";
    }

    private static String message(String text) {
        return "{\"timestamp\":\"2026-11-25T10:00:00Z\",\"level\":\"warn\",\"message\":\"" + text + "\"}";
    }

    @Test
    void should_read_an_everyday_packet_as_jackson_does() {
        String json = " {\n \"packetId\" : \"p-7\", \"agentId\":\"a-1\",\"messages\":[ " + MESSAGE + " ,\n{\"message\":\"caf\u00e9 \\\"x\\\"\","
                + "\"source\":null,\"service\":\"svc\",\"attributes\":{\"k\":\"v\",\"j\":\"\"},\"level\":\"Error\","
                + "\"timestamp\":\"2026-11-25T10:00:00.5+02:00\"}]}\n";
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        LogPacket fast = scanner.scan(body);
        LogPacket slow = parser.jackson(body, false).packet();
        assertThat(fast).isNotNull();
        assertThat(fast.agentId()).isEqualTo("a-1");
        assertThat(fast.packetId()).isEqualTo("p-7");
        assertThat(fast.packetIdField()).isTrue();
        assertThat(fast.complete()).isTrue();
        assertThat(fast.messageBounds()).containsExactly(slow.messageBounds());
        assertThat(fast.json()).isSameAs(body);
        assertThat(new String(body, fast.messageBounds()[0], fast.messageBounds()[1] - fast.messageBounds()[0],
                StandardCharsets.UTF_8)).isEqualTo(MESSAGE);
    }

    @Test
    void should_decode_escaped_ids_and_take_a_null_packet_id() {
        LogPacket p = scan("{\"agentId\":\"caf\\u00e9\\/\u00e9\",\"packetId\":null,\"messages\":[" + MESSAGE + "]}");
        assertThat(p.agentId()).isEqualTo("caf\u00e9/\u00e9");
        assertThat(p.packetId()).isNull();
        assertThat(p.packetIdField()).isTrue();
    }

    @Test
    void should_count_a_message_in_utf16_units_up_to_the_limit_and_leave_one_past_it_to_jackson() {
        // 20 units: 9 surrogate pairs (raw and escaped) and two more characters
        String atLimit = "\ud83d\ude00".repeat(5) + "\\ud83d\\ude00".repeat(4) + "\\u00e9\\\\";
        assertThat(scan(packet(message(atLimit)))).isNotNull();
        String pastLimit = atLimit + "x";
        assertThat(scan(packet(message(pastLimit)))).isNull();
        PacketRejectedException e = catchThrowableOfType(PacketRejectedException.class,
                () -> parser.parse(packet(message(pastLimit)).getBytes(StandardCharsets.UTF_8)));
        assertThat(e.violations()).extracting(Violation::path).containsExactly("messages[0].message");
        // a lone surrogate escape is one unit, as Jackson reads it
        assertThat(scan(packet(message("\\ud83d" + "x".repeat(19))))).isNotNull();
    }

    @Test
    void should_leave_every_violation_and_every_unusual_packet_to_jackson() {
        String[] refused = {
            packet(message(" \\t")), packet(message("")), packet(), "{\"messages\":[" + MESSAGE + "]}",
            packet(MESSAGE, MESSAGE, MESSAGE, MESSAGE, MESSAGE, MESSAGE), packet(MESSAGE) + "x", packet(MESSAGE) + "{}",
            "{\"agentId\":\"a b\",\"messages\":[" + MESSAGE + "]}", "{\"agentId\":\"a\",\"packetId\":\"p#1\",\"messages\":[" + MESSAGE + "]}",
            "{\"agentId\":\"a\",\"agentId\":\"a\",\"messages\":[" + MESSAGE + "]}", "{\"agentId\":1,\"messages\":[" + MESSAGE + "]}",
            "{\"agent\\u0049d\":\"a\",\"messages\":[" + MESSAGE + "]}",
            packet("{\"timestamp\":\"2026-11-25T10:00:00Z\",\"level\":\"INFO\",\"message\":\"m\",\"attributes\":{\"a\":\"1\",\"b\":\"2\",\"c\":\"3\"}}"),
            packet("{\"timestamp\":\"2026-11-25T10:00:00Z\",\"level\":\"INFO\",\"message\":\"m\",\"attributes\":{\"a\":\"1\",\"a\":\"2\"}}"),
            packet("{\"timestamp\":\"2026-11-25T10:00:00Z\",\"level\":\"INFO\",\"message\":\"m\",\"attributes\":{\"a\":null}}"),
            packet("{\"timestamp\":\"2026-02-30T10:00:00Z\",\"level\":\"INFO\",\"message\":\"m\"}"),
            packet("{\"timestamp\":\"2026-11-25T10:00:00Z\",\"level\":\"LOUD\",\"message\":\"m\"}"),
            packet("{\"timestamp\":\"2026-11-25T10:00:00Z\",\"level\":\"INFO\",\"message\":\"m\",\"count\":1}"),
            packet(message("tab\there")), packet(message("\\x")),
        };
        for (String json : refused) {
            assertThat(scan(json)).as(json).isNull();
        }
        // not UTF-8: an overlong encoding of '/', which Jackson reads leniently
        byte[] overlong = packet(message("a\u00e9")).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < overlong.length; i++) {
            if ((overlong[i] & 0xff) == 0xc3) {
                overlong[i] = (byte) 0xc0;
                overlong[i + 1] = (byte) 0xaf;
            }
        }
        assertThat(scanner.scan(overlong)).isNull();
    }

    @Test
    void should_answer_a_packet_with_a_byte_order_mark_as_before() {
        byte[] json = packet(MESSAGE).getBytes(StandardCharsets.UTF_8);
        byte[] bom = new byte[json.length + 3];
        bom[0] = (byte) 0xef;
        bom[1] = (byte) 0xbb;
        bom[2] = (byte) 0xbf;
        System.arraycopy(json, 0, bom, 3, json.length);
        assertThat(scanner.scan(bom)).isNull();
        LogPacket p = parser.parse(bom);
        assertThat(p.json()).isEqualTo(json);
        assertThat(p.messageBounds()).containsExactly(parser.jackson(json, false).packet().messageBounds());
    }

    @Test
    void should_take_nothing_when_the_json_limits_are_below_a_packets_depth_or_its_names() {
        byte[] body = packet(MESSAGE).getBytes(StandardCharsets.UTF_8);
        assertThat(new PlainPacketScanner(LIMITS, 3, 200).scan(body)).isNull();
        // "timestamp" is longer than such a string limit: Jackson refuses the packet
        assertThat(new PlainPacketScanner(LIMITS, 32, 8).scan(body)).isNull();
        assertThat(catchThrowableOfType(PacketRejectedException.class,
                () -> new PacketParser(LIMITS, new JsonGuard(32, 8)).parse(body))).isNotNull();
    }

    @Test
    void should_give_no_refusals_for_a_plain_packet_read_message_by_message() {
        PacketParser.Parsed parsed = parser.parseEach(packet(MESSAGE, message("x")).getBytes(StandardCharsets.UTF_8));
        assertThat(parsed.refused()).isEmpty();
        assertThat(parsed.packet().complete()).isTrue();
        assertThat(parsed.packet().messageCount()).isEqualTo(2);
    }
}
