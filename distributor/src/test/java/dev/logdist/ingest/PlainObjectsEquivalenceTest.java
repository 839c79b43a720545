package dev.logdist.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link PlainObjects} against Jackson's pass ({@link FlatObject#parse}) on random flat objects and mutations of them:
 * whatever the byte reader reads, Jackson reads the same, name for name and value for value; and the plain objects
 * agents send are read by the byte reader (else it would be a slow path that only looks right).
 */
class PlainObjectsEquivalenceTest {

    private static final String[] PIECES = {"\\\"", "\\n", "\\u00e9", "é", "\t", " ", "0", "-", ".5", "e3", "\u0001",
            "}", "{", "[", "]", ",", ":", "\"", "true", "null", "01", "99999999999999999999", "\u007f"};

    @Test
    void should_read_what_jackson_reads_and_defer_the_rest() {
        Random random = new Random(42);
        JsonFactory[] factories = {
                JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder().maxStringLength(131_072).build()).build(),
                JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder().maxStringLength(12)
                        .maxNameLength(6).build()).build()};
        int read = 0;
        int deferred = 0;
        for (int n = 0; n < 60_000; n++) {
            JsonFactory json = factories[n % 2];
            String text = object(random);
            boolean mutated = random.nextInt(3) > 0;
            if (mutated) {
                text = mutate(random, text);
            }
            byte[] padded = ("xx" + text + "yy").getBytes(StandardCharsets.UTF_8);
            int length = padded.length - 4;
            FlatObject plain = PlainObjects.read(padded, 2, length, json.streamReadConstraints());
            FlatObject parsed = FlatObject.parse(json, padded, 2, length);
            if (plain == null) {
                assertThat(mutated || json != factories[0]).as("the byte reader gave up on the plain object %s", text).isTrue();
                deferred++;
                continue;
            }
            read++;
            assertThat(parsed).as("Jackson's reading of %s, which the byte reader read", text).isNotNull();
            assertThat(plain.size()).as("fields of %s", text).isEqualTo(parsed.size());
            for (int i = 0; i < parsed.size(); i++) {
                assertThat(plain.key(i)).as("name %d of %s", i, text).isEqualTo(parsed.key(i));
                assertThat(plain.value(i)).as("value %d of %s", i, text).isEqualTo(parsed.value(i));
                assertThat(plain.isString(i)).as("kind %d of %s", i, text).isEqualTo(parsed.isString(i));
                assertThat(plain.isInteger(i)).as("kind %d of %s", i, text).isEqualTo(parsed.isInteger(i));
                if (parsed.isInteger(i)) {
                    assertThat(plain.integer(i)).as("integer %d of %s", i, text).isEqualTo(parsed.integer(i));
                }
            }
        }
        assertThat(read).as("objects the byte reader read").isGreaterThan(20_000);
        assertThat(deferred).as("objects it left to Jackson").isGreaterThan(10_000);
    }

    @Test
    void should_read_a_shippers_document_off_its_bytes() {
        byte[] doc = ("{\"@timestamp\":\"2026-11-25T10:00:00.001Z\", \"log.level\":\"INFO\",\"pid\":-42,\"ok\":true,"
                + "\"user\":null,\"message\":\"payment gateway timeout after 3000 ms\"}").getBytes(StandardCharsets.UTF_8);
        FlatObject o = PlainObjects.read(doc, 0, doc.length, StreamReadConstraints.defaults());
        assertThat(o).isNotNull();
        assertThat(o.size()).isEqualTo(6);
        assertThat(o.value(o.indexOf("log.level"))).isEqualTo("INFO");
        assertThat(o.isInteger(o.indexOf("pid"))).isTrue();
        assertThat(o.integer(o.indexOf("pid"))).isEqualTo(-42);
        assertThat(o.value(o.indexOf("ok"))).isEqualTo("true");
        assertThat(o.value(o.indexOf("user"))).isNull();
        assertThat(PlainObjects.read("{\"a\":1,\"a\":2}".getBytes(StandardCharsets.UTF_8), 0, 13,
                StreamReadConstraints.defaults())).as("a name repeated is for Jackson and the tree").isNull();
    }

    /** A flat object of plain names and values, with whitespace here and there. */
    private static String object(Random random) {
        StringBuilder b = new StringBuilder(space(random)).append('{');
        int fields = random.nextInt(9);
        for (int f = 0; f < fields; f++) {
            if (f > 0) {
                b.append(space(random)).append(',');
            }
            b.append(space(random)).append('"').append(word(random, 1 + random.nextInt(8))).append(f).append('"')
                    .append(space(random)).append(':').append(space(random));
            switch (random.nextInt(6)) {
                case 0 -> b.append(random.nextLong() % (random.nextBoolean() ? 1000 : 1_000_000_000_000_000L));
                case 1 -> b.append(random.nextBoolean());
                case 2 -> b.append("null");
                default -> b.append('"').append(word(random, random.nextInt(20))).append('"');
            }
        }
        return b.append(space(random)).append('}').append(space(random)).toString();
    }

    private static String word(Random random, int length) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            b.append((char) ('#' + random.nextInt(91))); // printable ASCII after the quote
        }
        return b.toString().replace("\\", "/");
    }

    private static String space(Random random) {
        return switch (random.nextInt(8)) {
            case 0 -> " ";
            case 1 -> "\t";
            case 2 -> " \r\n ";
            default -> "";
        };
    }

    /** The object with a piece inserted, a character dropped or changed, or cut short. */
    private static String mutate(Random random, String text) {
        if (text.isEmpty()) {
            return PIECES[random.nextInt(PIECES.length)];
        }
        int at = random.nextInt(text.length());
        return switch (random.nextInt(4)) {
            case 0 -> text.substring(0, at) + PIECES[random.nextInt(PIECES.length)] + text.substring(at);
            case 1 -> text.substring(0, at) + text.substring(at + 1);
            case 2 -> text.substring(0, at) + (char) (' ' + random.nextInt(95)) + text.substring(at + 1);
            default -> text.substring(0, at);
        };
    }
}
