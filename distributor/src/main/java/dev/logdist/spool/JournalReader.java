package dev.logdist.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads chosen records for replay through channels of its own (an interrupted reader then closes only those),
 * verifying each checksum again: a record that no longer matches is reported lost rather than delivered.
 */
final class JournalReader {

    private static final Logger LOG = LoggerFactory.getLogger(JournalReader.class);

    private static final int SLICE = 4096;

    private JournalReader() {
    }

    /**
     * The oldest pending records from the cursor on that {@code skip} lets through, within both caps (but at least
     * one); the index lock is taken per slice of numbers, and {@code skip} is called outside it.
     */
    static List<JournalIndex.Loc> choose(JournalIndex index, int maxRecords, long maxBytes, LongPredicate skip) {
        List<JournalIndex.Loc> chosen = new ArrayList<>();
        long bytes = 0;
        long from = 0;
        while (chosen.size() < maxRecords) {
            JournalIndex.Slice slice = index.collect(from, maxRecords - chosen.size(), SLICE);
            for (JournalIndex.Loc loc : slice.locs()) {
                // skip first, then pending again: the fast path marks a record done before it lets go of it, so a
                // record delivered between the collect and the skip test is seen done here, not sent a second time
                if (skip != null && (skip.test(loc.seq()) || !index.pending(loc.seq()))) {
                    continue;
                }
                if (!chosen.isEmpty() && bytes + loc.length() > maxBytes) {
                    return chosen;
                }
                chosen.add(loc);
                bytes += loc.length();
                if (chosen.size() == maxRecords) {
                    return chosen;
                }
            }
            if (slice.exhausted()) {
                break;
            }
            from = slice.next();
        }
        return chosen;
    }

    /**
     * The entries at {@code locs}, in order. A segment deleted meanwhile held only done records and is passed over;
     * one still indexed but gone or unreadable has its records added to {@code lost}.
     */
    static List<JournalEntry> read(List<JournalIndex.Loc> locs, Predicate<JournalSegment> indexed, List<Long> lost)
            throws IOException {
        List<JournalEntry> out = new ArrayList<>(locs.size());
        int i = 0;
        while (i < locs.size()) {
            JournalSegment segment = locs.get(i).segment();
            int end = i;
            while (end < locs.size() && locs.get(end).segment() == segment) {
                end++;
            }
            List<JournalIndex.Loc> group = locs.subList(i, end);
            try (FileChannel ch = FileChannel.open(segment.path, StandardOpenOption.READ)) {
                for (JournalIndex.Loc loc : group) {
                    JournalEntry e = readOne(ch, loc);
                    if (e == null) {
                        LOG.error("journal segment {}: record {} at byte {} no longer matches its checksum; lost",
                                segment.path, loc.seq(), loc.start());
                        lost.add(loc.seq());
                    } else {
                        out.add(e);
                    }
                }
            } catch (NoSuchFileException e) {
                if (indexed.test(segment)) {
                    LOG.error("journal segment {} vanished with {} pending records; they are lost", segment.path,
                            group.size());
                    group.forEach(loc -> lost.add(loc.seq()));
                }
            }
            i = end;
        }
        return out;
    }

    private static JournalEntry readOne(FileChannel ch, JournalIndex.Loc loc) throws IOException {
        ByteBuffer frame = ByteBuffer.allocate(loc.length());
        if (JournalScanner.readFully(ch, frame, loc.start()) < loc.length()) {
            return null;
        }
        ByteBuffer header = frame.duplicate().position(0).limit(JournalRecord.HEADER).slice();
        if (JournalRecord.payloadLength(header) != loc.length() - JournalRecord.HEADER) {
            return null;
        }
        byte[] payload = new byte[loc.length() - JournalRecord.HEADER];
        frame.get(JournalRecord.HEADER, payload);
        JournalEntry e = JournalRecord.decode(header, payload);
        return e != null && e.seq() == loc.seq() ? e : null;
    }
}
