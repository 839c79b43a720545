package dev.logdist.ingest;

import java.nio.charset.StandardCharsets;

/**
 * The field names read lately, by a hash of their bytes: documents repeat their names, so most are found here rather
 * than made again. Shared by every thread without a lock: a String is immutable, so a slot read while another thread
 * replaces it holds either name whole, and a name is only taken from it when its bytes match. Only short names are
 * kept, so that the table stays small whatever a client sends.
 */
final class RecentNames {

    private static final int LONGEST_KEPT = 32;
    private static final String[] SLOTS = new String[512];

    private RecentNames() {
    }

    /** The name in {@code b[from, to)}, printable ASCII: the one kept for those bytes, else a new one. */
    static String of(byte[] b, int from, int to) {
        int length = to - from;
        if (length > LONGEST_KEPT) {
            return new String(b, from, length, StandardCharsets.ISO_8859_1);
        }
        int hash = length;
        for (int i = from; i < to; i++) {
            hash = 31 * hash + b[i];
        }
        int slot = (hash ^ (hash >>> 9)) & (SLOTS.length - 1);
        String kept = SLOTS[slot];
        if (kept != null && same(kept, b, from, length)) {
            return kept;
        }
        String made = new String(b, from, length, StandardCharsets.ISO_8859_1);
        SLOTS[slot] = made;
        return made;
    }

    private static boolean same(String name, byte[] b, int from, int length) {
        if (name.length() != length) {
            return false;
        }
        for (int k = 0; k < length; k++) {
            if (name.charAt(k) != b[from + k]) {
                return false;
            }
        }
        return true;
    }
}
