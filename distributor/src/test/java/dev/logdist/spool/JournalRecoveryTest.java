package dev.logdist.spool;

import static dev.logdist.spool.JournalChunks.SMALL;
import static dev.logdist.spool.JournalChunks.all;
import static dev.logdist.spool.JournalChunks.chunk;
import static dev.logdist.spool.JournalChunks.corruptCopies;
import static dev.logdist.spool.JournalChunks.segments;
import static dev.logdist.spool.JournalChunks.seqs;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JournalRecoveryTest {

    @TempDir
    Path dir;

    private long[] appendTen() throws Exception {
        long[] frameStarts = new long[11];
        try (Journal j = new Journal("a", dir, SMALL)) {
            for (int i = 0; i < 10; i++) {
                j.append(List.of(chunk(i)));
                frameStarts[i + 1] = frameStarts[i] + JournalRecord.frameSize(chunk(i));
            }
        }
        return frameStarts;
    }

    @Test
    void a_torn_tail_is_copied_aside_and_cut_off_and_every_whole_record_is_kept() throws Exception {
        long[] starts = appendTen();
        Path segment = segments(dir).get(0);
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            f.setLength(starts[10] - 5);
        }
        try (Journal j = new Journal("a", dir, SMALL)) {
            assertThat(seqs(all(j))).containsExactlyElementsOf(LongStream.rangeClosed(1, 9).boxed().toList());
            long torn = starts[10] - 5 - starts[9];
            assertThat(j.stats().corruptBytesSkipped()).isEqualTo(torn);
            assertThat(Files.size(segment)).as("cut at a whole record").isEqualTo(starts[9]);
            assertThat(corruptCopies(dir)).singleElement().satisfies(p -> assertThat(Files.size(p)).isEqualTo(torn));
            assertThat(j.append(List.of(chunk(42))).firstSeq()).as("numbered above the highest valid").isEqualTo(10);
        }
        try (Journal j = new Journal("a", dir, SMALL)) {
            assertThat(seqs(all(j))).hasSize(10).last().isEqualTo(10L);
            assertThat(all(j).get(9).chunk().chunkId()).isEqualTo("p-42");
        }
    }

    /** Offsets into the third record: its magic, length, checksum, sequence number, JSON, and last byte. */
    @ParameterizedTest
    @ValueSource(ints = {0, 5, 7, 9, 14, 40, -1})
    void a_corrupt_record_in_the_middle_is_skipped_and_every_later_record_kept(int offset) throws Exception {
        long[] starts = appendTen();
        Path segment = segments(dir).get(0);
        long at = offset >= 0 ? starts[2] + offset : starts[3] - 1;
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x5A);
        }
        try (Journal j = new Journal("a", dir, SMALL)) {
            assertThat(seqs(all(j))).containsExactly(1L, 2L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
            assertThat(all(j).get(2).chunk().json()).isEqualTo(chunk(3).json());
            assertThat(j.stats().corruptBytesSkipped()).isEqualTo(starts[3] - starts[2]);
            assertThat(Files.size(segment)).as("nothing cut").isEqualTo(starts[10]);
            j.done(1, 2);
            assertThat(j.stats().cursor()).as("the lost record does not hold the cursor back").isEqualTo(3);
            assertThat(j.append(List.of(chunk(11))).firstSeq()).isEqualTo(11);
        }
    }

    @Test
    void garbage_after_the_whole_records_of_an_older_segment_is_skipped() throws Exception {
        JournalOptions options = SMALL.withSegmentBytes(4096);
        try (Journal j = new Journal("a", dir, options)) {
            for (int i = 0; i < 200; i++) {
                j.append(List.of(chunk(i)));
            }
        }
        List<Path> segs = segments(dir);
        assertThat(segs.size()).isGreaterThan(2);
        // what a broken segment (a failed append it could not cut back) leaves: half a frame, then junk
        byte[] firstFrame = Arrays.copyOf(Files.readAllBytes(segs.get(0)), 30);
        byte[] junk = new byte[100];
        Arrays.fill(junk, (byte) 0x4C);
        Files.write(segs.get(1), firstFrame, StandardOpenOption.APPEND);
        Files.write(segs.get(1), junk, StandardOpenOption.APPEND);
        try (Journal j = new Journal("a", dir, options)) {
            assertThat(seqs(all(j))).containsExactlyElementsOf(LongStream.rangeClosed(1, 200).boxed().toList());
            assertThat(j.stats().corruptBytesSkipped()).isEqualTo(130);
        }
    }

    @Test
    void a_valid_record_inside_a_corrupt_stretch_is_found_again() throws Exception {
        long[] starts = appendTen();
        Path segment = segments(dir).get(0);
        // the records 3 to 5 are overwritten by zeros but for record 5's frame: resync lands exactly there
        byte[] bytes = Files.readAllBytes(segment);
        Arrays.fill(bytes, (int) starts[2], (int) starts[4], (byte) 0);
        Files.write(segment, bytes);
        try (Journal j = new Journal("a", dir, SMALL)) {
            assertThat(seqs(all(j))).containsExactly(1L, 2L, 5L, 6L, 7L, 8L, 9L, 10L);
            j.done(1, 2);
            assertThat(j.stats().cursor()).isEqualTo(4);
        }
    }

    @Test
    void a_torn_record_persisted_as_done_never_lends_its_number_to_a_new_one() throws Exception {
        try (Journal j = new Journal("a", dir, SMALL)) {
            j.append(List.of(chunk(0)));
            j.append(List.of(chunk(1)));
            j.done(2); // kept in the cursor file's done runs at close
        }
        Path segment = segments(dir).get(0);
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            f.setLength(f.length() - 3);
        }
        Path copy;
        try (Journal j = new Journal("a", dir, SMALL)) {
            assertThat(j.append(List.of(chunk(2))).firstSeq()).as("2 is done in the cursor file").isEqualTo(3);
            copy = JournalChunks.crashCopy(dir, dir.resolveSibling(dir.getFileName() + "-crash"));
        }
        try (Journal j = new Journal("a", copy, SMALL)) {
            assertThat(seqs(all(j))).containsExactly(1L, 3L);
        }
    }
}
