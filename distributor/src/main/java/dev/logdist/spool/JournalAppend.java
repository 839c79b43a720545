package dev.logdist.spool;

import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;

/**
 * What one append kept: {@code count} records numbered {@code firstSeq} onwards (contiguous, because a packet's
 * records are written together), and a future that completes once they are as durable as the journal promises.
 */
public record JournalAppend(long firstSeq, int count, CompletableFuture<Void> durable) {

    /** The records' sequence numbers, in the order of the appended chunks. */
    public long[] seqs() {
        return LongStream.range(firstSeq, firstSeq + count).toArray();
    }

    public long lastSeq() {
        return firstSeq + count - 1;
    }
}
