package dev.logdist.spool;

import static dev.logdist.spool.JournalChunks.SMALL;
import static dev.logdist.spool.JournalChunks.all;
import static dev.logdist.spool.JournalChunks.chunk;
import static dev.logdist.spool.JournalChunks.crashCopy;
import static dev.logdist.spool.JournalChunks.segments;
import static dev.logdist.spool.JournalChunks.seqs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logdist.model.Chunk;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {

    @TempDir
    Path dir;

    @Test
    void appends_number_records_contiguously_and_gives_them_back_in_order() throws Exception {
        try (Journal j = new Journal("a", dir, SMALL)) {
            JournalAppend first = j.append(List.of(chunk(0)));
            JournalAppend packet = j.append(List.of(chunk(1), chunk(2), chunk(3)));
            assertThat(first.seqs()).containsExactly(1);
            assertThat(packet.seqs()).containsExactly(2, 3, 4);
            assertThat(packet.durable()).isCompleted();
            List<JournalEntry> read = all(j);
            assertThat(seqs(read)).containsExactly(1L, 2L, 3L, 4L);
            assertThat(read.get(2).chunk().chunkId()).isEqualTo("p-2");
            assertThat(read.get(2).chunk().messages()).isEqualTo(chunk(2).messages());
            assertThat(read.get(2).chunk().json()).isEqualTo(chunk(2).json());
            assertThat(j.pendingRecords()).isEqualTo(4);
            long frames = IntStream.range(0, 4).map(i -> JournalRecord.frameSize(chunk(i))).sum();
            assertThat(j.pendingBytes()).isEqualTo(frames);
            assertThat(j.stats().appendedSinceStart()).isEqualTo(4);
        }
    }

    @Test
    void read_is_capped_by_count_and_bytes_but_gives_at_least_one_record_and_skips_what_it_is_told() throws Exception {
        try (Journal j = new Journal("a", dir, SMALL)) {
            j.append(List.of(chunk(0, 5000)));
            for (int i = 1; i < 10; i++) {
                j.append(List.of(chunk(i, 100)));
            }
            assertThat(seqs(j.readPending(3, Long.MAX_VALUE, s -> false))).containsExactly(1L, 2L, 3L);
            assertThat(seqs(j.readPending(10, 100, s -> false))).as("one record even above the byte cap")
                    .containsExactly(1L);
            int small = JournalRecord.frameSize(chunk(1, 100));
            assertThat(seqs(j.readPending(10, 2L * small + 1, s -> s == 1))).containsExactly(2L, 3L);
            assertThat(seqs(j.readPending(4, Long.MAX_VALUE, s -> s % 2 == 1))).containsExactly(2L, 4L, 6L, 8L);
        }
    }

    @Test
    void read_leaves_out_a_record_done_while_it_was_being_chosen() throws Exception {
        try (Journal j = new Journal("a", dir, SMALL)) {
            for (int i = 0; i < 4; i++) {
                j.append(List.of(chunk(i)));
            }
            // the fast path delivers record 2 and lets go of it after the index was read and before it was asked
            // about record 2: marked done first, so the replay must not send it again
            assertThat(seqs(j.readPending(10, Long.MAX_VALUE, s -> {
                if (s == 2) {
                    j.done(2);
                }
                return false;
            }))).containsExactly(1L, 3L, 4L);
        }
    }

    @Test
    void out_of_order_done_moves_the_cursor_over_the_contiguous_prefix_only() throws Exception {
        try (Journal j = new Journal("a", dir, SMALL)) {
            for (int i = 0; i < 6; i++) {
                j.append(List.of(chunk(i)));
            }
            j.done(2, 4);
            assertThat(j.stats().cursor()).isZero();
            assertThat(j.stats().doneAboveCursor()).isEqualTo(2);
            assertThat(seqs(all(j))).containsExactly(1L, 3L, 5L, 6L);
            j.done(1);
            assertThat(j.stats().cursor()).isEqualTo(2);
            assertThat(j.stats().doneAboveCursor()).isEqualTo(1);
            j.done(3, 3, 99, -1); // repeats and unknown numbers change nothing
            assertThat(j.stats().cursor()).isEqualTo(4);
            assertThat(j.stats().doneAboveCursor()).isZero();
            assertThat(j.pendingRecords()).isEqualTo(2);
            assertThat(j.pendingBytes()).isEqualTo(JournalRecord.frameSize(chunk(4)) + JournalRecord.frameSize(chunk(5)));
        }
    }

    @Test
    void reopen_replays_exactly_the_records_not_done_and_numbers_on_above_the_highest() throws Exception {
        try (Journal j = new Journal("a", dir, SMALL)) {
            for (int i = 0; i < 10; i++) {
                j.append(List.of(chunk(i)));
            }
            j.done(1, 2, 3, 5, 7);
            assertThat(j.stats().cursor()).isEqualTo(3);
            assertThat(j.stats().doneAboveCursor()).isEqualTo(2);
        }
        try (Journal j = new Journal("a", dir, SMALL)) {
            assertThat(seqs(all(j))).containsExactly(4L, 6L, 8L, 9L, 10L);
            assertThat(all(j).get(0).chunk().chunkId()).isEqualTo("p-3");
            assertThat(j.stats().recoveredRecords()).isEqualTo(5);
            assertThat(j.stats().doneAboveCursor()).isEqualTo(2);
            assertThat(j.append(List.of(chunk(10))).firstSeq()).isEqualTo(11);
            j.done(4, 6, 8, 9, 10);
            assertThat(j.stats().cursor()).isEqualTo(10);
            assertThat(j.stats().doneAboveCursor()).isZero();
        }
        try (Journal j = new Journal("a", dir, SMALL)) {
            assertThat(seqs(all(j))).containsExactly(11L);
        }
    }

    @Test
    void a_crash_replays_only_what_was_done_since_the_cursor_was_last_persisted() throws Exception {
        Path copy;
        try (Journal j = new Journal("a", dir.resolve("j"), SMALL.withCursorIntervalMillis(60_000))) {
            for (int i = 0; i < 8; i++) {
                j.append(List.of(chunk(i)));
            }
            j.done(1, 2, 6);
            j.sync(); // persists cursor 2 and the run 6..6
            j.done(3, 8); // the cursor moves, but its last write was less than a minute ago
            assertThat(j.stats().cursor()).isEqualTo(3);
            assertThat(j.stats().doneAboveCursor()).as("at risk of a second delivery").isEqualTo(2);
            copy = crashCopy(dir.resolve("j"), dir.resolve("after-crash"));
        }
        try (Journal j = new Journal("a", copy, SMALL)) {
            assertThat(seqs(all(j))).as("3 and 8 again, never 1, 2 or 6").containsExactly(3L, 4L, 5L, 7L, 8L);
        }
    }

    @Test
    void spent_segments_are_deleted_and_numbering_survives_their_deletion() throws Exception {
        JournalOptions options = SMALL.withSegmentBytes(4096);
        try (Journal j = new Journal("a", dir, options)) {
            List<Long> seqs = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                seqs.add(j.append(List.of(chunk(i))).firstSeq());
            }
            assertThat(segments(dir).size()).isGreaterThan(5);
            j.done(seqs.stream().mapToLong(Long::longValue).toArray());
            j.sync();
            assertThat(segments(dir)).as("only the segment still taking appends").hasSize(1);
            assertThat(j.pendingRecords()).isZero();
            assertThat(j.pendingBytes()).isZero();
        }
        try (Journal j = new Journal("a", dir, options)) {
            assertThat(all(j)).isEmpty();
            assertThat(j.append(List.of(chunk(0))).firstSeq()).isEqualTo(301);
        }
    }

    @Test
    void the_pending_cap_refuses_appends_before_writing_until_records_are_done() throws Exception {
        int frame = JournalRecord.frameSize(chunk(1, 100));
        try (Journal j = new Journal("a", dir, SMALL.withMaxPendingBytes(3L * frame))) {
            for (int i = 0; i < 3; i++) {
                j.append(List.of(chunk(1, 100)));
            }
            assertThat(j.hasRoom()).isFalse();
            assertThatThrownBy(() -> j.append(List.of(chunk(1, 100)))).isInstanceOf(JournalFullException.class);
            assertThatThrownBy(() -> j.append(List.of(chunk(1, 10), chunk(2, 10)))).isInstanceOf(JournalFullException.class);
            assertThat(j.stats().refusedAppends()).isEqualTo(2);
            j.done(2);
            assertThat(j.hasRoom()).isTrue();
            assertThat(j.append(List.of(chunk(1, 100))).firstSeq()).as("refusals used no numbers").isEqualTo(4);
        }
    }

    @Test
    void a_directory_is_used_by_one_journal_and_a_closed_journal_takes_no_appends() throws Exception {
        Journal j = new Journal("a", dir, SMALL);
        assertThatThrownBy(() -> new Journal("a", dir, SMALL)).hasMessageContaining("already open");
        j.close();
        assertThat(j.hasRoom()).isFalse();
        assertThatThrownBy(() -> j.append(List.of(chunk(1)))).hasMessageContaining("closed");
        new Journal("a", dir, SMALL).close();
    }

    @Test
    void an_unreadable_cursor_replays_every_record_still_on_disk() throws Exception {
        try (Journal j = new Journal("a", dir, SMALL)) {
            for (int i = 0; i < 4; i++) {
                j.append(List.of(chunk(i)));
            }
            j.done(1, 2);
        }
        java.nio.file.Files.write(dir.resolve("cursor"), new byte[] {1, 2, 3});
        try (Journal j = new Journal("a", dir, SMALL)) {
            assertThat(seqs(all(j))).containsExactly(1L, 2L, 3L, 4L);
        }
    }

    @Test
    void an_empty_packet_appends_nothing() throws Exception {
        try (Journal j = new Journal("a", dir, SMALL)) {
            assertThat(j.append(List.<Chunk>of()).count()).isZero();
            assertThat(j.append(List.of(chunk(0))).firstSeq()).isEqualTo(1);
        }
    }
}
