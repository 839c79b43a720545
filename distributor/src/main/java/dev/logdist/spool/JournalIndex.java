package dev.logdist.spool;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which records are pending and where, and the low-water mark (cursor) below which every record is done; done marks
 * may come in any order, and the cursor moves over the contiguous done prefix only. One lock, held for memory work
 * only; the counters are volatile so that stats and the room check read them without it.
 */
final class JournalIndex {

    /** A pending record's place on disk. */
    record Loc(long seq, JournalSegment segment, long start, int length) {
    }

    /** Pending records from {@code from} on; {@code next} is where to go on, unless {@code exhausted}. */
    record Slice(List<Loc> locs, long next, boolean exhausted) {
    }

    private final TreeMap<Long, JournalSegment> bySeq = new TreeMap<>();
    private volatile long cursor;
    private volatile long pendingRecords;
    private volatile long pendingBytes;
    private volatile long doneAboveCursor;
    /** Counts done marks, so that the cursor file is rewritten when done runs changed even if the cursor did not. */
    private volatile long doneMarks;

    synchronized void addRecovered(JournalSegment segment) {
        add(segment);
        for (long seq = segment.firstSeq; seq < segment.endSeq(); seq++) {
            int length = segment.length(seq);
            if (length > 0) {
                pendingRecords++;
                pendingBytes += length;
            }
        }
    }

    /** Sets the cursor read at open and moves it over what is missing (corrupt records skipped at recovery). */
    synchronized void start(long persistedCursor) {
        cursor = persistedCursor;
        advance();
    }

    /** Seals the segment that took appends so far (it may be deleted once spent) and adds the one that takes them now. */
    synchronized void roll(JournalSegment previous, JournalSegment next) {
        if (previous != null) {
            previous.sealed = true;
        }
        add(next);
    }

    private void add(JournalSegment segment) {
        if (bySeq.putIfAbsent(segment.firstSeq, segment) != null) {
            throw new IllegalStateException("two journal segments start at sequence " + segment.firstSeq);
        }
    }

    synchronized void appended(JournalSegment segment, long firstSeq, long start, int[] lengths) {
        long offset = start;
        for (int i = 0; i < lengths.length; i++) {
            segment.index(firstSeq + i, offset, lengths[i]);
            offset += lengths[i];
            pendingBytes += lengths[i];
        }
        pendingRecords += lengths.length;
    }

    /** Marks records done (unknown or already done ones are ignored); answers whether the cursor moved. */
    synchronized boolean done(long... seqs) {
        long before = cursor;
        for (long seq : seqs) {
            markDone(seq);
        }
        advance();
        return cursor != before;
    }

    /** Marks done the records in the runs {@code {from, to, ...}} persisted with the cursor. */
    synchronized void doneRuns(long[] runs) {
        for (int i = 0; i + 1 < runs.length; i += 2) {
            for (long seq = Math.max(runs[i], cursor + 1); seq <= runs[i + 1]; seq++) {
                markDone(seq);
            }
        }
        advance();
    }

    private void markDone(long seq) {
        Map.Entry<Long, JournalSegment> e = bySeq.floorEntry(seq);
        int length = e == null ? 0 : e.getValue().markDone(seq);
        if (length > 0) {
            pendingRecords--;
            pendingBytes -= length;
            doneAboveCursor++;
            doneMarks++;
        }
    }

    /**
     * The cursor and up to {@code maxRuns} runs of done records above it (a run may span numbers no record has), to
     * persist: a reopen then delivers none of them again. Runs beyond the cap are left out: delivered again.
     */
    synchronized JournalCursor.State state(int maxRuns) {
        long[] runs = new long[16];
        int n = 0;
        long left = doneAboveCursor;
        long runStart = -1;
        long s = cursor + 1;
        while (left > 0 && n < 2 * maxRuns) {
            Map.Entry<Long, JournalSegment> e = bySeq.floorEntry(s);
            if (e != null && s < e.getValue().endSeq()) {
                int length = e.getValue().length(s);
                if (length < 0) {
                    runStart = runStart < 0 ? s : runStart;
                    left--;
                } else if (length > 0 && runStart >= 0) {
                    runs = put(runs, n, runStart, s - 1);
                    n += 2;
                    runStart = -1;
                }
                s++;
            } else {
                Long next = bySeq.higherKey(s);
                if (next == null) {
                    break;
                }
                s = next;
            }
        }
        if (runStart >= 0 && n < 2 * maxRuns) {
            runs = put(runs, n, runStart, s - 1);
            n += 2;
        }
        return new JournalCursor.State(cursor, Arrays.copyOf(runs, n));
    }

    private static long[] put(long[] runs, int n, long from, long to) {
        long[] out = n + 2 > runs.length ? Arrays.copyOf(runs, runs.length * 2) : runs;
        out[n] = from;
        out[n + 1] = to;
        return out;
    }

    /** Moves the cursor up to just below the oldest pending record, over done records and numbers that no record has. */
    private void advance() {
        long s = cursor + 1;
        long passedDone = 0;
        while (true) {
            Map.Entry<Long, JournalSegment> e = bySeq.floorEntry(s);
            if (e != null && s < e.getValue().endSeq()) {
                int length = e.getValue().length(s);
                if (length > 0) {
                    break;
                }
                if (length < 0) {
                    passedDone++;
                }
                s++;
            } else {
                Long next = bySeq.higherKey(s);
                if (next == null) {
                    break;
                }
                s = next; // the numbers in between belonged to failed appends: no record has them
            }
        }
        cursor = s - 1;
        doneAboveCursor -= passedDone;
    }

    /**
     * Up to {@code want} pending records from {@code from} (or the cursor) on, in order, visiting at most
     * {@code maxVisits} numbers so that a reader never holds this lock long.
     */
    synchronized Slice collect(long from, int want, int maxVisits) {
        List<Loc> locs = new ArrayList<>();
        long s = Math.max(from, cursor + 1);
        for (int visits = 0; visits < maxVisits && locs.size() < want; visits++) {
            Map.Entry<Long, JournalSegment> e = bySeq.floorEntry(s);
            if (e != null && s < e.getValue().endSeq()) {
                JournalSegment segment = e.getValue();
                int length = segment.length(s);
                if (length > 0) {
                    locs.add(new Loc(s, segment, segment.start(s), length));
                }
                s++;
            } else {
                Long next = bySeq.higherKey(s);
                if (next == null) {
                    return new Slice(locs, s, true);
                }
                s = next;
            }
        }
        return new Slice(locs, s, false);
    }

    /** Removes and answers the sealed segments whose every record is at or below {@code persisted}. */
    synchronized List<JournalSegment> removeSpent(long persisted) {
        List<JournalSegment> spent = new ArrayList<>();
        for (JournalSegment segment : List.copyOf(bySeq.values())) {
            if (segment.endSeq() - 1 > persisted || !segment.sealed) {
                break;
            }
            spent.add(segment);
            bySeq.remove(segment.firstSeq);
        }
        return spent;
    }

    /** Whether record {@code seq} is still pending (appended and not done). */
    synchronized boolean pending(long seq) {
        if (seq <= cursor) {
            return false;
        }
        Map.Entry<Long, JournalSegment> e = bySeq.floorEntry(seq);
        return e != null && seq < e.getValue().endSeq() && e.getValue().length(seq) > 0;
    }

    synchronized boolean holds(JournalSegment segment) {
        return bySeq.get(segment.firstSeq) == segment;
    }

    long cursor() {
        return cursor;
    }

    long pendingRecords() {
        return pendingRecords;
    }

    long pendingBytes() {
        return pendingBytes;
    }

    long doneMarks() {
        return doneMarks;
    }

    long doneAboveCursor() {
        return doneAboveCursor;
    }
}
