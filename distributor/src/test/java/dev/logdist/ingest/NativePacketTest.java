package dev.logdist.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.logdist.config.DistributorConfig.Limits;
import dev.logdist.validation.JsonGuard;
import dev.logdist.validation.PacketParser;
import dev.logdist.validation.PacketRejectedException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A native packet is written byte for byte as Jackson's generator writes it, and the validator's verdict told from
 * what its writer checked ({@link PacketParser#written}) is the one it gives reading the packet ({@code parseEach}).
 */
class NativePacketTest {

    private static final JsonFactory JACKSON = new JsonFactory();
    private static final String[] LEVELS = {"INFO", "warn", "Error", "LOUD", "", " INFO", "notice", "x".repeat(20)};
    private static final String[] TIMESTAMPS = {"2026-11-25T10:00:00Z", "2026-11-25T10:00:00.123456789Z",
            "2026-02-30T10:00:00Z", "2026-11-25T10:00:00+01:00", "2026-11-25 10:00:00", "", "2026-11-25T10:00Z"};

    /** A field value, attribute name or value: mostly plain, sometimes anything a String can hold. */
    private static String text(Random random, int maxLength) {
        int length = random.nextInt(10) == 0 ? random.nextInt(maxLength + 1) : random.nextInt(Math.min(maxLength, 24) + 1);
        StringBuilder b = new StringBuilder(length);
        int kind = random.nextInt(6);
        for (int i = 0; i < length; i++) {
            char c = switch (kind) {
                case 0 -> ' ';
                case 1 -> (char) random.nextInt(0x80);
                case 2 -> (char) random.nextInt(0x800);
                case 3 -> (char) random.nextInt(0x10000);
                case 4 -> "\"\\\n\t\u0000\u001f\u007f\u00e9\u20ac\ud83d\ude00\ud800\udc00/".charAt(random.nextInt(14));
                default -> (char) ('a' + random.nextInt(26));
            };
            b.append(c);
        }
        return b.toString();
    }

    private record Message(String timestamp, String level, String message, String source, String service,
                           List<String[]> attributes) {
    }

    private static List<Message> messages(Random random, boolean plain) {
        List<Message> messages = new ArrayList<>();
        int count = 1 + random.nextInt(8);
        String host = text(random, 10);
        for (int m = 0; m < count; m++) {
            List<String[]> attributes = new ArrayList<>();
            int n = random.nextInt(10) == 0 ? random.nextInt(40) : random.nextInt(7);
            for (int a = 0; a < n; a++) {
                String name = random.nextInt(8) == 0 && a > 0 ? attributes.get(random.nextInt(a))[0]
                        : plain ? "k" + a : text(random, 300);
                String value = random.nextInt(30) == 0 ? null : plain ? "v" + random.nextInt(3) : text(random, 9000);
                if (plain && random.nextBoolean()) {
                    name = "k" + a;
                }
                attributes.add(new String[] {name, value});
            }
            messages.add(new Message(
                    random.nextInt(plain ? 200 : 8) == 0 ? null : TIMESTAMPS[random.nextInt(plain ? 2 : TIMESTAMPS.length)],
                    random.nextInt(plain ? 200 : 8) == 0 ? null : LEVELS[random.nextInt(plain ? 3 : LEVELS.length)],
                    random.nextInt(plain ? 200 : 8) == 0 ? null : plain ? "message " + m : text(random, 120),
                    random.nextInt(4) == 0 ? null : random.nextBoolean() ? host : text(random, 300),
                    random.nextInt(4) == 0 ? null : plain ? "svc" : text(random, 300),
                    attributes));
        }
        return messages;
    }

    /** What the packet was written as before it had its own writer: Jackson's generator. */
    private static byte[] jackson(String agentId, String packetId, List<Message> messages) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator out = JACKSON.createGenerator(bytes)) {
            out.writeStartObject();
            out.writeStringField("agentId", agentId);
            if (packetId != null) {
                out.writeStringField("packetId", packetId);
            }
            out.writeArrayFieldStart("messages");
            for (Message m : messages) {
                out.writeStartObject();
                String[][] fields = {{"timestamp", m.timestamp}, {"level", m.level}, {"message", m.message},
                        {"source", m.source}, {"service", m.service}};
                for (String[] f : fields) {
                    if (f[1] != null) {
                        out.writeStringField(f[0], f[1]);
                    }
                }
                if (!m.attributes.isEmpty()) {
                    out.writeObjectFieldStart("attributes");
                    for (String[] a : m.attributes) {
                        out.writeStringField(a[0], a[1]);
                    }
                    out.writeEndObject();
                }
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeEndObject();
        }
        return bytes.toByteArray();
    }

    private static NativePacket streamed(String agentId, List<Message> messages) {
        NativePacket packet = NativePacket.of(agentId, null);
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            packet.startMessage(i, m.timestamp, m.level, m.message, m.source, m.service);
            for (String[] a : m.attributes) {
                packet.attribute(a[0], a[1]);
            }
            packet.endMessage();
        }
        return packet;
    }

    @Test
    void should_write_every_packet_as_jackson_does_by_map_and_by_stream() throws IOException {
        Random random = new Random(20261201);
        for (int i = 0; i < 3000; i++) {
            List<Message> messages = messages(random, random.nextBoolean());
            String agentId = text(random, 20);
            String packetId = random.nextBoolean() ? null : text(random, 20);
            byte[] expected = jackson(agentId, packetId, messages);

            NativePacket byMap = NativePacket.of(agentId, packetId);
            for (int m = 0; m < messages.size(); m++) {
                Message message = messages.get(m);
                Map<String, String> attributes = new LinkedHashMap<>();
                message.attributes.forEach(a -> attributes.putIfAbsent(a[0], a[1]));
                if (attributes.size() == message.attributes.size()) {
                    byMap.message(m, message.timestamp, message.level, message.message, message.source, message.service,
                            attributes);
                } else {
                    // a map holds a name once: the case is the stream's
                    byMap.startMessage(m, message.timestamp, message.level, message.message, message.source,
                            message.service);
                    message.attributes.forEach(a -> byMap.attribute(a[0], a[1]));
                    byMap.endMessage();
                }
            }
            assertThat(byMap.finish().packet()).as("packet %d", i).isEqualTo(expected);
            if (packetId == null) {
                assertThat(streamed(agentId, messages).finish().packet()).as("packet %d", i).isEqualTo(expected);
            }
        }
    }

    @Test
    void should_escape_what_jackson_escapes_in_long_strings_too() throws IOException {
        String ascii = "plain ascii text, long enough";
        for (String tricky : new String[] {ascii + "\ud800" + ascii, ascii + "?" + ascii + "\udc00", "\ud800" + ascii,
                ascii + "\"" + ascii, ascii + "\u0001", ascii + "\u00e9" + ascii, ascii + "\ud83d\ude00", "?".repeat(40)}) {
            List<Message> messages = List.of(new Message(tricky, tricky, tricky, tricky, tricky,
                    List.<String[]>of(new String[] {tricky, tricky}, new String[] {ascii, tricky})));
            assertThat(streamed("a", messages).finish().packet()).as(tricky).isEqualTo(jackson("a", null, messages));
        }
    }

    @Test
    void should_give_the_verdict_of_reading_the_packet_again_whatever_the_messages_and_limits() {
        Random random = new Random(7);
        List<PacketParser> parsers = List.of(
                new PacketParser(new Limits(1 << 20, 1000, 4096, 64, 500)),
                new PacketParser(new Limits(1 << 20, 3, 50, 3, 500)),
                new PacketParser(new Limits(1 << 20, 1000, 4096, 64, 500), new JsonGuard(3, 100_000)),
                new PacketParser(new Limits(1 << 20, 1000, 4096, 64, 500), new JsonGuard(32, 200)));
        int taken = 0;
        for (int i = 0; i < 4000; i++) {
            List<Message> messages = messages(random, random.nextInt(3) > 0);
            String agentId = random.nextInt(10) == 0 ? text(random, 140) : "agent-" + random.nextInt(5);
            for (PacketParser parser : parsers) {
                NativePacket packet = streamed(agentId, messages);
                byte[] json = packet.finish().packet();
                Object read = verdict(() -> parser.parseEach(json));
                Object told = verdict(() -> parser.written(agentId, json, packet.written()));
                assertThat(told).as("packet %d", i).isEqualTo(read);
                if (read instanceof String s && s.startsWith("taken")) {
                    taken++;
                }
            }
        }
        assertThat(taken).as("packets taken, so the quick verdict was tried").isGreaterThan(1000);
    }

    /** A verdict as comparable text: the packet taken (every field, its bounds and bytes) and the refusals, or the rejection. */
    private static Object verdict(java.util.function.Supplier<PacketParser.Parsed> parse) {
        try {
            PacketParser.Parsed parsed = parse.get();
            var p = parsed.packet();
            return "taken " + p.agentId() + " " + p.packetId() + " " + p.packetIdField() + " " + p.complete() + " "
                    + java.util.Arrays.toString(p.messageBounds()) + " " + java.util.Arrays.hashCode(p.json()) + " "
                    + parsed.refused();
        } catch (PacketRejectedException e) {
            return "rejected " + e.status() + " " + e.getMessage() + " " + e.violations();
        }
    }
}
