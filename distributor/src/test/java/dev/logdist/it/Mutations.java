package dev.logdist.it;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/** Random damage to a valid body: flipped, dropped, inserted and duplicated bytes, truncation, hostile tokens. */
final class Mutations {

    private static final String[] TOKENS = {"null", "{}", "[]", "\"", "\\", "\"\\u0000\"", "-1e999", "true", ",", ":",
        "{\"a\":", "]]]]", "\"messages\"", "\uD83D\uDE00", "\u0000", "NaN", "\"level\":\"x\"", "99999999999999999999"};

    private Mutations() {
    }

    static byte[] mutate(byte[] seed, Random random) {
        byte[] b = seed.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && b.length > 1; e++) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(6)) {
                case 0 -> b[at] = (byte) random.nextInt(256);
                case 1 -> b = concat(Arrays.copyOf(b, at), Arrays.copyOfRange(b, Math.min(b.length, at + 1 + random.nextInt(8)), b.length));
                case 2 -> b = concat(concat(Arrays.copyOf(b, at), TOKENS[random.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8)),
                        Arrays.copyOfRange(b, at, b.length));
                case 3 -> b = Arrays.copyOf(b, at);
                case 4 -> b = concat(b, Arrays.copyOfRange(b, at, Math.min(b.length, at + 20)));
                default -> b[at] = (byte) "{}[]\",:".charAt(random.nextInt(7));
            }
        }
        return b;
    }

    private static byte[] concat(byte[] a, byte[] c) {
        byte[] out = Arrays.copyOf(a, a.length + c.length);
        System.arraycopy(c, 0, out, a.length, c.length);
        return out;
    }
}
