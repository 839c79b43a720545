package dev.logdist.spool;

/**
 * A snapshot of one journal's counters, read without locks.
 *
 * @param pendingRecords records appended (or recovered) and not yet done
 * @param pendingBytes their size on disk, frames included
 * @param appendedSinceStart records appended since this journal was opened
 * @param cursor the low-water mark: every record up to it is done
 * @param doneAboveCursor records done above the cursor: a crash or reopen now would deliver them again
 * @param recoveredRecords records found pending when the journal was opened
 * @param corruptBytesSkipped bytes of torn or corrupt records cut off or skipped when the journal was opened
 * @param unreadableRecords pending records whose bytes no longer matched their checksum when read for replay
 * @param refusedAppends appends refused by the free-disk reserve or the pending cap
 * @param failedAppends appends whose write failed (and was rolled back)
 * @param fsyncs forces done (both durabilities)
 * @param fsyncNanosTotal time spent in them
 * @param fsyncNanosMax the longest of them
 */
public record JournalStats(long pendingRecords, long pendingBytes, long appendedSinceStart, long cursor,
        long doneAboveCursor, long recoveredRecords, long corruptBytesSkipped, long unreadableRecords,
        long refusedAppends, long failedAppends, long fsyncs, long fsyncNanosTotal, long fsyncNanosMax) {
}
