package dev.logdist.spool;

/**
 * How a {@link Journal} keeps its records: durability, segment size, the free-disk reserve and pending-bytes cap under
 * which appends are refused, and how often a moving cursor is persisted.
 *
 * @param minFreeBytes appends are refused while the file system's usable space would drop below this; 0 disables the
 *     check (appends then fail only when a write does)
 * @param maxPendingBytes appends are refused while the records not yet done would exceed this many bytes
 * @param cursorIntervalMillis a moving cursor is persisted by {@link Journal#done} at most this often (and by
 *     {@link Journal#sync()} and on close)
 */
public record JournalOptions(Durability durability, long segmentBytes, long minFreeBytes, long maxPendingBytes,
        long cursorIntervalMillis) {

    public JournalOptions {
        if (durability == null) {
            throw new IllegalArgumentException("durability is required");
        }
        if (segmentBytes < 4096 || segmentBytes > 1L << 30) {
            throw new IllegalArgumentException("segmentBytes must be 4 KiB to 1 GiB, not " + segmentBytes);
        }
        if (minFreeBytes < 0 || maxPendingBytes <= 0 || cursorIntervalMillis < 0) {
            throw new IllegalArgumentException("minFreeBytes >= 0, maxPendingBytes > 0, cursorIntervalMillis >= 0");
        }
    }

    /** WRITE durability, 64 MiB segments, 64 MiB free-disk reserve, 1 GiB pending cap, cursor at most every 200 ms. */
    public static JournalOptions defaults() {
        return new JournalOptions(Durability.WRITE, 64L << 20, 64L << 20, 1L << 30, 200);
    }

    public JournalOptions withDurability(Durability d) {
        return new JournalOptions(d, segmentBytes, minFreeBytes, maxPendingBytes, cursorIntervalMillis);
    }

    public JournalOptions withSegmentBytes(long bytes) {
        return new JournalOptions(durability, bytes, minFreeBytes, maxPendingBytes, cursorIntervalMillis);
    }

    public JournalOptions withMinFreeBytes(long bytes) {
        return new JournalOptions(durability, segmentBytes, bytes, maxPendingBytes, cursorIntervalMillis);
    }

    public JournalOptions withMaxPendingBytes(long bytes) {
        return new JournalOptions(durability, segmentBytes, minFreeBytes, bytes, cursorIntervalMillis);
    }

    public JournalOptions withCursorIntervalMillis(long millis) {
        return new JournalOptions(durability, segmentBytes, minFreeBytes, maxPendingBytes, millis);
    }
}
