package dev.logdist.spool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Opening a journal: reads the cursor, scans every segment in order (see {@link JournalScanner}), deletes those
 * holding no record above the cursor, and indexes every valid record above it as pending but those persisted as done;
 * numbering goes on above the highest number seen, in the segments or in the cursor file.
 */
record JournalRecovery(long cursor, long nextSeq, long lastSegmentNumber, long recoveredRecords,
        long corruptBytesSkipped) {

    /** Segment files as {@link JournalSegment#fileName} names them; anything else in the directory is left alone. */
    private static final Pattern SEGMENT_NAME = Pattern.compile("\\d{20}\\" + JournalSegment.SUFFIX);

    static JournalRecovery run(Path dir, JournalIndex index) throws IOException {
        JournalCursor.State persisted = JournalCursor.read(dir);
        long cursor = persisted.cursor();
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> SEGMENT_NAME.matcher(p.getFileName().toString()).matches()).sorted().toList();
        }
        long lastSeq = 0;
        long lastNumber = 0;
        long corrupt = 0;
        for (Path file : files) {
            String n = file.getFileName().toString();
            long number = Long.parseLong(n.substring(0, n.length() - JournalSegment.SUFFIX.length()));
            lastNumber = Math.max(lastNumber, number);
            JournalScanner.Result scanned = JournalScanner.scan(file, lastSeq);
            corrupt += scanned.skippedBytes();
            if (!scanned.records().isEmpty()) {
                lastSeq = scanned.records().get(scanned.records().size() - 1).seq();
            }
            List<JournalScanner.Found> pending = scanned.records().stream().filter(f -> f.seq() > cursor).toList();
            if (pending.isEmpty()) {
                Files.delete(file); // every record in it is done, or it has none
                continue;
            }
            JournalSegment segment = JournalSegment.recovered(number, file, pending.get(0).seq(), scanned.size());
            pending.forEach(f -> segment.index(f.seq(), f.start(), f.length()));
            index.addRecovered(segment);
        }
        index.start(cursor);
        index.doneRuns(persisted.doneRuns());
        // never above a number the cursor file calls done: a torn record's number reused would be taken for done
        long highest = Math.max(lastSeq, cursor);
        for (long run : persisted.doneRuns()) {
            highest = Math.max(highest, run);
        }
        return new JournalRecovery(cursor, highest + 1, lastNumber, index.pendingRecords(), corrupt);
    }
}
