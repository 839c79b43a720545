package dev.logdist.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * jqwik generators of hostile {@code POST /logs} requests, most of them damaged versions of a valid packet:
 * mutations, truncation, byte flips, deep nesting, huge strings, wrong types, invalid UTF-8, gzip garbage and wrong
 * or missing content types. Sizes are meant for a distributor started with {@link #LIMITS}.
 */
final class HostileRequests {

    /** The limits the fuzzed distributor runs with: small, so that crossing them is cheap. */
    static final java.util.Map<String, String> LIMITS = java.util.Map.of(
            "DISTRIBUTOR_MAX_BODY_BYTES", "262144",
            "DISTRIBUTOR_MAX_MESSAGES_PER_PACKET", "50",
            "DISTRIBUTOR_MAX_CHUNK_MESSAGES", "50",
            "DISTRIBUTOR_MAX_MESSAGE_CHARS", "4096",
            "DISTRIBUTOR_MAX_ATTRIBUTES", "8");

    static final String JSON = "application/json";

    /**
     * One request: its content type and encoding (null: header absent), body, query string and {@code X-Agent-Id}
     * (null: none), labelled for failure reports.
     */
    record Hostile(String kind, String contentType, String contentEncoding, byte[] body, String query, String agent) {

        Hostile(String kind, String contentType, String contentEncoding, byte[] body) {
            this(kind, contentType, contentEncoding, body, null, null);
        }

        @Override
        public String toString() {
            String text = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
            return kind + " [Content-Type: " + contentType + ", Content-Encoding: " + contentEncoding + ", query: " + query
                    + ", X-Agent-Id: " + agent + ", " + body.length + " bytes] " + text + (body.length > 300 ? "..." : "");
        }
    }

    private static final String[] FIELDS = {"agentId", "packetId", "messages", "timestamp", "level", "message", "source",
        "service", "attributes"};
    private static final String[] WRONG_VALUES = {"1", "-1.5e308", "true", "false", "null", "[]", "{}", "\"\"", "[1,2]",
        "{\"x\":1}", "\"   \"", "1e999999", "123456789012345678901234567890", "\"\\u0000\"", "\"\\ud800\"", "[[]]"};
    private static final String[] CONTENT_TYPES = {null, "", "text/plain", "application/xml", "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x", "application/jsonp", "application/json, text/plain", "*/*", "json",
        "application/json; charset=utf-16", "application/vnd.api+json", "APPLICATION/JSON", "application/json;;;", "application/json x"};
    private static final String[] ENCODINGS = {"deflate", "br", "gzip, gzip", "identity, gzip", "compress", "x-unknown", "GZIP",
        " gzip "};
    private static final byte[][] BAD_UTF8 = {{(byte) 0xff}, {(byte) 0xc3, 0x28}, {(byte) 0xc0, (byte) 0xaf},
        {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
        {(byte) 0xe2, (byte) 0x82}, {(byte) 0x80}, {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}};

    private HostileRequests() {
    }

    static Arbitrary<Hostile> any() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, mutated()),
                net.jqwik.api.Tuple.of(2, truncated()),
                net.jqwik.api.Tuple.of(2, flipped()),
                net.jqwik.api.Tuple.of(2, deeplyNested()),
                net.jqwik.api.Tuple.of(2, hugeString()),
                net.jqwik.api.Tuple.of(3, wrongType()),
                net.jqwik.api.Tuple.of(2, invalidUtf8()),
                net.jqwik.api.Tuple.of(3, gzipGarbage()),
                net.jqwik.api.Tuple.of(2, wrongContentType()),
                net.jqwik.api.Tuple.of(2, oddStructure()),
                net.jqwik.api.Tuple.of(4, HostileLines.any()));
    }

    /** A valid packet of 1..5 messages without a packetId (so that each accepted one is delivered as new). */
    static byte[] seed(Random random) {
        return Packets.packet(random, "agent-fuzz", null, 1 + random.nextInt(5));
    }

    static Arbitrary<Hostile> mutated() {
        return Arbitraries.randoms().map(r -> json("mutated", Mutations.mutate(seed(r), r)));
    }

    static Arbitrary<Hostile> truncated() {
        return Arbitraries.randoms().map(r -> {
            byte[] seed = seed(r);
            return json("truncated", Arrays.copyOf(seed, r.nextInt(seed.length)));
        });
    }

    static Arbitrary<Hostile> flipped() {
        return Arbitraries.randoms().map(r -> {
            byte[] b = seed(r);
            for (int i = 1 + r.nextInt(8); i > 0; i--) {
                b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
            }
            return json("bytes flipped", b);
        });
    }

    static Arbitrary<Hostile> deeplyNested() {
        Arbitrary<Integer> depth = Arbitraries.oneOf(Arbitraries.integers().between(5, 40),
                Arbitraries.integers().between(41, 120_000));
        return Combinators.combine(depth, Arbitraries.integers().between(0, 4), Arbitraries.randoms()).as((d, where, r) -> {
            String nest = "[".repeat(d) + "]".repeat(d);
            String objects = "{\"a\":".repeat(d) + "1" + "}".repeat(d);
            String message = message(r);
            String body = switch (where) {
                case 0 -> nest;
                case 1 -> "{\"agentId\":\"a\",\"messages\":" + nest + "}";
                case 2 -> "{\"agentId\":\"a\",\"messages\":[" + message.replace("}", ",\"attributes\":" + objects + "}") + "]}";
                case 3 -> "{\"agentId\":\"a\",\"extra\":" + objects + ",\"messages\":[" + message + "]}";
                default -> "{\"agentId\":" + objects + ",\"messages\":[" + message + "]}";
            };
            return json("nested " + d + " deep at " + where, body.getBytes(StandardCharsets.UTF_8));
        });
    }

    static Arbitrary<Hostile> hugeString() {
        Arbitrary<Integer> length = Arbitraries.oneOf(Arbitraries.integers().between(4_000, 9_000),
                Arbitraries.integers().between(9_000, 400_000));
        return Combinators.combine(length, Arbitraries.of(FIELDS), Arbitraries.randoms()).as((n, field, r) -> {
            String huge = "\"" + (r.nextBoolean() ? "x".repeat(n) : "\\u00e9\\\"".repeat(n / 8)) + "\"";
            String body = withField(r, field, huge);
            if (r.nextInt(4) == 0) { // a huge unknown field name instead
                body = "{\"" + "k".repeat(n) + "\":1," + body.substring(1);
            }
            return json("huge string in " + field, body.getBytes(StandardCharsets.UTF_8));
        });
    }

    static Arbitrary<Hostile> wrongType() {
        return Combinators.combine(Arbitraries.of(FIELDS), Arbitraries.of(WRONG_VALUES), Arbitraries.randoms())
                .as((field, value, r) -> json(field + " = " + value, withField(r, field, value).getBytes(StandardCharsets.UTF_8)));
    }

    static Arbitrary<Hostile> invalidUtf8() {
        return Combinators.combine(Arbitraries.integers().between(0, BAD_UTF8.length - 1), Arbitraries.randoms()).as((i, r) -> {
            byte[] seed = seed(r);
            String text = new String(seed, StandardCharsets.UTF_8);
            int at = text.indexOf("\"message\":\"") + 11 + r.nextInt(5);
            int cut = text.substring(0, at).getBytes(StandardCharsets.UTF_8).length;
            byte[] body = concat(concat(Arrays.copyOf(seed, cut), BAD_UTF8[i]), Arrays.copyOfRange(seed, cut, seed.length));
            return json("invalid UTF-8 #" + i, body);
        });
    }

    static Arbitrary<Hostile> gzipGarbage() {
        return Combinators.combine(Arbitraries.integers().between(0, 6), Arbitraries.randoms()).as((kind, r) -> {
            byte[] seed = seed(r);
            return switch (kind) {
                case 0 -> {
                    byte[] noise = new byte[r.nextInt(2000)];
                    r.nextBytes(noise);
                    yield gzip("random bytes as gzip", noise);
                }
                case 1 -> {
                    byte[] z = gzip(seed);
                    yield gzip("truncated gzip", Arrays.copyOf(z, r.nextInt(z.length)));
                }
                case 2 -> {
                    byte[] z = gzip(seed);
                    z[10 + r.nextInt(z.length - 10)] ^= (byte) (1 + r.nextInt(255));
                    yield gzip("gzip with a flipped byte", z);
                }
                case 3 -> gzip("gzip of a mutated packet", gzip(Mutations.mutate(seed, r)));
                case 4 -> gzip("gzip bomb", gzip(bomb(r)));
                case 5 -> gzip("gzip twice", gzip(gzip(seed)));
                default -> new Hostile("unsupported encoding", JSON, ENCODINGS[r.nextInt(ENCODINGS.length)],
                        r.nextBoolean() ? seed : gzip(seed));
            };
        });
    }

    static Arbitrary<Hostile> wrongContentType() {
        return Combinators.combine(Arbitraries.of(CONTENT_TYPES), Arbitraries.randoms()).as((type, r) ->
                new Hostile("content type", type, null, r.nextBoolean() ? seed(r) : Mutations.mutate(seed(r), r)));
    }

    static Arbitrary<Hostile> oddStructure() {
        return Arbitraries.randoms().map(r -> {
            String m = message(r);
            String[] bodies = {"", " \n\t ", "null", "[]", "\"packet\"", "42", "{}", "[" + new String(seed(r), StandardCharsets.UTF_8) + "]",
                "{\"agentId\":\"a\",\"agentId\":\"b\",\"messages\":[" + m + "]}",
                new String(seed(r), StandardCharsets.UTF_8) + new String(seed(r), StandardCharsets.UTF_8),
                "{\"agentId\":\"a\",\"messages\":[" + (m + ",").repeat(50) + m + "]}",
                "{\"agentId\":\"a\",\"messages\":[" + m.replace("}", ",\"attributes\":{" + attributes(9) + "}}") + "]}",
                "{\"agentId\":\"a\",\"messages\":[]}", "{\"agentId\":\"a b\",\"messages\":[" + m + "]}",
                "{\"agentId\":\"a\",\"packetId\":\"p#1\",\"messages\":[" + m + "]}",
                "\uFEFF" + new String(seed(r), StandardCharsets.UTF_8), "{\"agentId\":\"a\",\"messages\":[" + m + "]} trailing",
                "{\"agentId\":\"a\",\"messages\":[" + m.replace("\"level\":", "\"level\":\"INFO\",\"level\":") + "]}"};
            int pick = r.nextInt(bodies.length + 1);
            byte[] body = pick == bodies.length ? new String(seed(r), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_16)
                    : bodies[pick].getBytes(StandardCharsets.UTF_8);
            return json("odd structure #" + pick, body);
        });
    }

    /** A packet whose {@code field} (of the packet or of its first message) has the raw JSON {@code value}. */
    private static String withField(Random r, String field, String value) {
        String m = message(r);
        return switch (field) {
            case "agentId" -> "{\"agentId\":" + value + ",\"messages\":[" + m + "]}";
            case "packetId" -> "{\"agentId\":\"a\",\"packetId\":" + value + ",\"messages\":[" + m + "]}";
            case "messages" -> "{\"agentId\":\"a\",\"messages\":" + value + "}";
            case "attributes" -> "{\"agentId\":\"a\",\"messages\":[" + m.replace("}", ",\"attributes\":" + value + "}") + "]}";
            default -> "{\"agentId\":\"a\",\"messages\":[" + m.replaceFirst("\"" + field + "\":(\"[^\"]*\")?",
                    "\"" + field + "\":" + java.util.regex.Matcher.quoteReplacement(value)) + "]}";
        };
    }

    private static String message(Random r) {
        return "{\"timestamp\":\"2026-11-25T10:00:0" + r.nextInt(10) + ".123Z\",\"level\":\"INFO\",\"source\":\"web-1\","
                + "\"service\":\"checkout\",\"message\":\"m" + r.nextInt(1000) + "\"}";
    }

    private static String attributes(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
        }
        return b.toString();
    }

    /** A valid-looking packet whose message is megabytes of spaces: tiny compressed, over every body limit unpacked. */
    private static byte[] bomb(Random r) {
        return ("{\"agentId\":\"a\",\"messages\":[{\"timestamp\":\"2026-11-25T10:00:00Z\",\"level\":\"INFO\",\"message\":\""
                + " ".repeat(300_000 + r.nextInt(3_000_000)) + "x\"}]}").getBytes(StandardCharsets.UTF_8);
    }

    private static Hostile json(String kind, byte[] body) {
        return new Hostile(kind, JSON, null, body);
    }

    private static Hostile gzip(String kind, byte[] body) {
        return new Hostile(kind, JSON, "gzip", body);
    }

    static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] c) {
        byte[] out = Arrays.copyOf(a, a.length + c.length);
        System.arraycopy(c, 0, out, a.length, c.length);
        return out;
    }
}
