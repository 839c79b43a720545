package dev.logdist.it;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * jqwik generators of hostile Elasticsearch bulk requests, damaged versions of a valid one: no newline at the end, a
 * document without its action, an action without its document, a line of invalid JSON, a huge line, bad gzip, an
 * unknown action, flipped bytes. Sizes are meant for a distributor started with {@link HostileRequests#LIMITS}.
 */
final class HostileBulks {

    private HostileBulks() {
    }

    /** A valid bulk body of 1..5 documents. */
    static String seed(Random r) {
        StringBuilder b = new StringBuilder();
        int n = 1 + r.nextInt(5);
        for (int i = 0; i < n; i++) {
            b.append(r.nextBoolean() ? "{\"index\":{}}\n" : "{\"create\":{\"_index\":\"x\"}}\n");
            b.append("{\"@timestamp\":\"2026-11-25T10:00:0").append(i).append("Z\",\"message\":\"doc ").append(i)
                    .append("\",\"log\":{\"level\":\"warn\"},\"host.name\":\"h\",\"k").append(i).append("\":").append(i)
                    .append("}\n");
        }
        return b.toString();
    }

    static Arbitrary<HostileRequests.Hostile> any() {
        return Arbitraries.randoms().map(r -> {
            String seed = seed(r);
            int kind = r.nextInt(9);
            return switch (kind) {
                case 0 -> ndjson("no final newline", seed.substring(0, seed.length() - 1));
                case 1 -> ndjson("document without action", "{\"message\":\"lost\"}\n" + seed);
                case 2 -> ndjson("action without document", seed + "{\"index\":{}}\n");
                case 3 -> ndjson("invalid JSON line", seed + "{\"index\":{}}\n{\"message\":\"half\n" + seed);
                case 4 -> ndjson("huge line", seed + "{\"index\":{}}\n{\"message\":\"" + "x".repeat(r.nextBoolean()
                        ? 5000 : 300_000) + "\"}\n");
                case 5 -> new HostileRequests.Hostile("bad gzip", "application/json", "gzip",
                        HostileRequests.gzip(seed.getBytes(StandardCharsets.UTF_8)).length > 10
                                ? java.util.Arrays.copyOf(HostileRequests.gzip(seed.getBytes(StandardCharsets.UTF_8)), 12)
                                : new byte[] {1, 2, 3});
                case 6 -> ndjson("unknown action", seed + "{\"upsert\":{}}\n{\"message\":\"m\"}\n");
                case 7 -> ndjson("delete and update", "{\"delete\":{\"_id\":\"1\"}}\n{\"update\":{}}\n{\"doc\":{}}\n" + seed);
                default -> flipped(seed, r);
            };
        });
    }

    private static HostileRequests.Hostile flipped(String seed, Random r) {
        byte[] bytes = seed.getBytes(StandardCharsets.UTF_8);
        for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) {
            bytes[r.nextInt(bytes.length)] = (byte) r.nextInt(256);
        }
        return new HostileRequests.Hostile("flipped bytes", "application/x-ndjson", null, bytes);
    }

    private static HostileRequests.Hostile ndjson(String kind, String body) {
        return new HostileRequests.Hostile(kind, "application/x-ndjson", null, body.getBytes(StandardCharsets.UTF_8));
    }
}
