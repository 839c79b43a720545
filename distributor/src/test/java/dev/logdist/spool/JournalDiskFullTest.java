package dev.logdist.spool;

import static dev.logdist.spool.JournalChunks.SMALL;
import static dev.logdist.spool.JournalChunks.all;
import static dev.logdist.spool.JournalChunks.chunk;
import static dev.logdist.spool.JournalChunks.crashCopy;
import static dev.logdist.spool.JournalChunks.segments;
import static dev.logdist.spool.JournalChunks.seqs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.logdist.model.Chunk;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Appends on a real, small, full file system: a tmpfs mounted for each test (skipped where mounting is not allowed). */
class JournalDiskFullTest {

    @TempDir
    Path elsewhere;

    private Path mnt;
    private final List<Journal> opened = new ArrayList<>();

    private Path mount(String options) throws Exception {
        mnt = Files.createTempDirectory("journal-tmpfs");
        int rc = run("mount", "-t", "tmpfs", "-o", options, "tmpfs", mnt.toString());
        Assumptions.assumeTrue(rc == 0, "cannot mount a tmpfs here");
        return mnt;
    }

    @AfterEach
    void unmount() throws Exception {
        for (Journal j : opened) {
            j.close();
        }
        if (mnt != null) {
            run("umount", mnt.toString());
            Files.deleteIfExists(mnt);
        }
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    private Journal open(Path dir, JournalOptions options) throws IOException {
        Journal j = new Journal("a", dir, options);
        opened.add(j);
        return j;
    }

    /** Writes to {@code file} until the file system is full. */
    private static void fill(Path file) throws IOException {
        byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < 1_000; i++) {
                out.write(block);
                out.flush();
            }
        } catch (IOException expected) {
            return;
        }
        fail("the file system never filled up");
    }

    @Test
    void a_write_that_fails_for_want_of_space_leaves_only_whole_records_and_appends_resume_once_freed()
            throws Exception {
        Path dir = mount("size=1m").resolve("j");
        Journal j = open(dir, SMALL);
        List<Long> kept = new ArrayList<>();
        long keptBytes = 0;
        for (int i = 0; i < 5; i++) {
            kept.add(j.append(List.of(chunk(i, 1000))).firstSeq());
            keptBytes += JournalRecord.frameSize(chunk(i, 1000));
        }
        fill(mnt.resolve("filler"));
        IOException failure = null;
        for (int i = 0; i < 100 && failure == null; i++) {
            // a small record that may still fit in the segment's last page, then one that cannot
            List<Chunk> packet = List.of(chunk(100 + i, 300), chunk(200 + i, 6000));
            try {
                JournalAppend a = j.append(packet);
                kept.addAll(Arrays2.boxed(a.seqs()));
                keptBytes += JournalRecord.frameSize(packet.get(0)) + JournalRecord.frameSize(packet.get(1));
            } catch (IOException e) {
                failure = e;
            }
        }
        assertThat(failure).as("an append failed").isNotNull().isNotInstanceOf(JournalFullException.class);
        assertThat(Files.size(segments(dir).get(0))).as("cut back to whole records").isEqualTo(keptBytes);
        assertThat(seqs(all(j))).isEqualTo(kept);
        assertThat(j.pendingBytes()).isEqualTo(keptBytes);
        assertThat(j.stats().failedAppends()).isEqualTo(1);
        try (Journal copy = new Journal("a", crashCopy(dir, elsewhere.resolve("copy")), SMALL)) {
            assertThat(seqs(all(copy))).as("a restart now finds exactly the appended records").isEqualTo(kept);
            assertThat(copy.stats().corruptBytesSkipped()).isZero();
        }

        Files.delete(mnt.resolve("filler"));
        JournalAppend after = j.append(List.of(chunk(1, 300), chunk(2, 6000)));
        assertThat(after.firstSeq()).as("the failed append used no numbers").isEqualTo(kept.get(kept.size() - 1) + 1);
        kept.addAll(Arrays2.boxed(after.seqs()));
        j.close();
        try (Journal reopened = new Journal("a", dir, SMALL)) {
            assertThat(seqs(all(reopened))).isEqualTo(kept);
            assertThat(reopened.stats().corruptBytesSkipped()).isZero();
        }
    }

    @Test
    void the_free_space_reserve_refuses_appends_before_writing_and_lets_them_in_again_once_freed() throws Exception {
        Path dir = mount("size=1m").resolve("j");
        Files.createDirectories(dir);
        Files.write(mnt.resolve("filler"), new byte[300 << 10]);
        Journal j = open(dir, SMALL.withMinFreeBytes(400 << 10));
        JournalFullException refused = null;
        long before = 0;
        for (int i = 0; i < 40 && refused == null; i++) {
            before = segments(dir).isEmpty() ? 0 : Files.size(segments(dir).get(0));
            try {
                j.append(List.of(chunk(i, 50_000)));
            } catch (JournalFullException e) {
                refused = e;
            }
        }
        assertThat(refused).as("refused by the reserve").isNotNull();
        assertThat(Files.size(segments(dir).get(0))).as("nothing written").isEqualTo(before);
        assertThat(mnt.toFile().getUsableSpace()).as("refused while there was still room").isGreaterThan(50_000);
        long pending = j.pendingRecords();

        Files.write(mnt.resolve("filler2"), new byte[(int) mnt.toFile().getUsableSpace() - (100 << 10)]);
        j.sync();
        assertThat(j.hasRoom()).isFalse();
        Files.delete(mnt.resolve("filler"));
        Files.delete(mnt.resolve("filler2"));
        assertThat(j.append(List.of(chunk(99, 50_000))).firstSeq()).isEqualTo(pending + 1);
        j.sync();
        assertThat(j.hasRoom()).isTrue();
    }

    @Test
    void a_segment_roll_that_fails_leaves_the_journal_usable_and_is_tried_again() throws Exception {
        Path dir = mount("size=4m,nr_inodes=32").resolve("j");
        Journal j = open(dir, SMALL.withSegmentBytes(4096).withCursorIntervalMillis(60_000));
        List<Long> kept = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            kept.add(j.append(List.of(chunk(i, 3000))).firstSeq()); // one segment each
        }
        List<Path> fillers = new ArrayList<>();
        try {
            for (int i = 0; i < 100; i++) {
                fillers.add(Files.createFile(mnt.resolve("inode-" + i)));
            }
            fail("never ran out of inodes");
        } catch (IOException expected) {
            // no inode left for a new segment
        }
        for (int attempt = 0; attempt < 3; attempt++) {
            assertThatThrownBy(() -> j.append(List.of(chunk(9, 3000)))).isInstanceOf(IOException.class)
                    .isNotInstanceOf(JournalFullException.class);
        }
        assertThat(seqs(all(j))).isEqualTo(kept);
        Files.delete(fillers.get(0));
        assertThat(j.append(List.of(chunk(9, 3000))).firstSeq()).isEqualTo(4);
        Files.delete(fillers.get(1));
        assertThat(j.append(List.of(chunk(10, 3000))).firstSeq()).isEqualTo(5);
        assertThat(seqs(all(j))).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void a_segment_that_cannot_be_cut_back_takes_no_more_appends_and_its_numbers_are_not_reused() throws Exception {
        Path dir = elsewhere.resolve("j");
        Journal j = open(dir, SMALL);
        j.append(List.of(chunk(0)));
        j.append(List.of(chunk(1)));
        Field writer = Journal.class.getDeclaredField("writer");
        Field active = JournalWriter.class.getDeclaredField("active");
        writer.setAccessible(true);
        active.setAccessible(true);
        ((JournalSegment) active.get(writer.get(j))).closeWriter(); // what an interrupt in mid-write does: write and cut both fail
        assertThatThrownBy(() -> j.append(List.of(chunk(2), chunk(3)))).isInstanceOf(IOException.class);
        JournalAppend next = j.append(List.of(chunk(4)));
        assertThat(next.firstSeq()).as("3 and 4 may lie in the broken segment's tail").isEqualTo(5);
        assertThat(segments(dir)).hasSize(2);
        assertThat(seqs(all(j))).containsExactly(1L, 2L, 5L);
        j.done(1, 2, 5);
        assertThat(j.stats().cursor()).as("the cursor steps over numbers no record has").isEqualTo(5);
        j.append(List.of(chunk(5)));
        j.close();
        try (Journal reopened = new Journal("a", dir, SMALL)) {
            assertThat(seqs(all(reopened))).containsExactly(6L);
        }
    }

    /** Small array helpers. */
    private static final class Arrays2 {
        static List<Long> boxed(long[] values) {
            return LongStream.of(values).boxed().toList();
        }
    }
}
