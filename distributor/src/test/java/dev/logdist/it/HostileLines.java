package dev.logdist.it;

import dev.logdist.it.HostileRequests.Hostile;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * jqwik generators of hostile JSON lines and arrays of records on {@code POST /logs}: blank lines, lines that are not
 * JSON, arrays of non-objects and nested arrays, huge lines, CRLF and a BOM, native packets among the lines, odd
 * timestamps and levels, too many records, hostile agent names and query parameters. Each is answered 202 (for the
 * records it could take, the others refused by index) or a JSON 4xx, never a 5xx.
 */
final class HostileLines {

    static final String NDJSON = "application/x-ndjson";
    private static final String[] ODD_TIMESTAMPS = {"1e999999", "-1", "\"\"", "\"2026-13-01T00:00:00Z\"", "true", "[]",
        "\"1796119200.123456789012\"", "99999999999999999999", "\"yesterday\"", "1796119200.5", "\"2026-12-01T10:00:00\""};
    private static final String[] ODD_LEVELS = {"5", "\"LOUD\"", "\"emerg\"", "\"\"", "null", "{\"x\":1}", "\"WARNING\"",
        "\"" + "e".repeat(40) + "\""};
    private static final String[] ODD_AGENTS = {"a b", "x".repeat(200), "<script>", "a\"b", "syslog-ng-1", "a#1"};
    private static final String[] ODD_QUERIES = {"partial=false", "partial=maybe", "partial=true&partial=false",
        "partial", "partial=0", "partial=true&x=1"};

    private HostileLines() {
    }

    static Arbitrary<Hostile> any() {
        return Combinators.combine(Arbitraries.integers().between(0, 14), Arbitraries.randoms()).as(HostileLines::make);
    }

    private static Hostile make(int kind, Random r) {
        return switch (kind) {
            case 0 -> lines("blank lines", r, record(r) + "\n\n   \n" + record(r) + "\n\t\n");
            case 1 -> lines("a line that is not JSON", r, record(r) + "\n{\"message\": \"unclosed\n" + record(r));
            case 2 -> array("an array of non-objects", "[1,\"x\",null,true," + record(r) + ",[]]");
            case 3 -> lines("a huge line", r, record(r) + "\n{\"message\":\"" + "x".repeat(4_000 + r.nextInt(400_000))
                    + "\"}\n" + record(r));
            case 4 -> lines("CRLF and a BOM", r, "\uFEFF" + record(r) + "\r\n" + record(r) + "\r\n\r\n");
            case 5 -> array("a nested array", "[[" + record(r) + "," + record(r) + "]]");
            case 6 -> lines("a native packet among the lines", r, record(r) + "\n"
                    + new String(HostileRequests.seed(r), StandardCharsets.UTF_8) + "\n" + record(r));
            case 7 -> array("a broken array", r.nextBoolean() ? "[" + record(r) + "," + record(r)
                    : "[" + record(r) + "] trailing");
            case 8 -> {
                byte[] body = (record(r) + "\n" + record(r) + "\n" + record(r)).getBytes(StandardCharsets.UTF_8);
                yield new Hostile("mutated lines", NDJSON, null, Mutations.mutate(body, r));
            }
            case 9 -> new Hostile("gzip of lines with a bad one", NDJSON, "gzip",
                    HostileRequests.gzip((record(r) + "\nnot json\n" + record(r)).getBytes(StandardCharsets.UTF_8)));
            case 10 -> new Hostile("lines of an odd agent", NDJSON, null, bytes(record(r)), null,
                    ODD_AGENTS[r.nextInt(ODD_AGENTS.length)]);
            case 11 -> lines("too many records", r, (record(r) + "\n").repeat(51));
            case 12 -> {
                int depth = 20 + r.nextInt(200);
                yield lines("a record nested " + depth + " deep", r, record(r) + "\n{\"message\":\"m\",\"a\":"
                        + "[".repeat(depth) + "]".repeat(depth) + "}\n" + record(r));
            }
            case 13 -> lines("odd timestamps and levels", r, "{\"date\":" + ODD_TIMESTAMPS[r.nextInt(ODD_TIMESTAMPS.length)]
                    + ",\"message\":\"m\",\"level\":" + ODD_LEVELS[r.nextInt(ODD_LEVELS.length)] + "}\n" + record(r));
            default -> new Hostile("lines with an odd query", NDJSON, null, bytes(record(r) + "\n{\"message\":\"\"}"),
                    ODD_QUERIES[r.nextInt(ODD_QUERIES.length)], null);
        };
    }

    /** A record as a shipper sends it, with a number in its message. */
    static String record(Random r) {
        return switch (r.nextInt(3)) {
            case 0 -> "{\"timestamp\":\"2026-12-01T10:00:0" + r.nextInt(10) + ".123Z\",\"message\":\"m" + r.nextInt(1000)
                    + "\",\"host\":\"h1\",\"level\":\"info\"}";
            case 1 -> "{\"date\":1796119200." + r.nextInt(1000) + ",\"log\":\"m" + r.nextInt(1000) + "\",\"stream\":\"stdout\"}";
            default -> "{\"@timestamp\":\"2026-12-01T10:00:00+01:00\",\"msg\":\"m\",\"severity\":\"warning\",\"pid\":"
                    + r.nextInt(99999) + "}";
        };
    }

    private static Hostile lines(String kind, Random r, String body) {
        // Fluent Bit sends its lines as application/json: the same body must be read alike either way
        return new Hostile(kind, r.nextInt(3) == 0 ? HostileRequests.JSON : NDJSON, null, bytes(body));
    }

    private static Hostile array(String kind, String body) {
        return new Hostile(kind, HostileRequests.JSON, null, bytes(body));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
