package dev.logdist.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalCursorTest {

    @TempDir
    Path dir;

    @Test
    void should_read_back_the_latest_state_written_in_place_across_reopening() throws Exception {
        try (JournalCursor cursor = JournalCursor.open(dir)) {
            cursor.write(new JournalCursor.State(5, new long[] {7, 9}), false);
            cursor.write(new JournalCursor.State(12, new long[0]), true);
        }
        assertThat(JournalCursor.read(dir).cursor()).isEqualTo(12);
        try (JournalCursor cursor = JournalCursor.open(dir)) {
            cursor.write(new JournalCursor.State(20, new long[] {22, 22, 30, 31}), false);
        }
        JournalCursor.State state = JournalCursor.read(dir);
        assertThat(state.cursor()).isEqualTo(20);
        assertThat(state.doneRuns()).containsExactly(22, 22, 30, 31);
    }

    @Test
    void should_fall_back_to_the_slot_written_before_when_the_latest_is_torn() throws Exception {
        try (JournalCursor cursor = JournalCursor.open(dir)) {
            cursor.write(new JournalCursor.State(5, new long[0]), false); // second slot
            cursor.write(new JournalCursor.State(8, new long[] {10, 11}), false); // first slot
        }
        try (RandomAccessFile file = new RandomAccessFile(dir.resolve("cursor").toFile(), "rw")) {
            file.seek(14); // inside the first slot's cursor: its checksum no longer matches
            file.write(0x55);
        }
        assertThat(JournalCursor.read(dir).cursor()).isEqualTo(5);
        try (JournalCursor cursor = JournalCursor.open(dir)) {
            cursor.write(new JournalCursor.State(9, new long[0]), false); // over the torn slot, never the good one
        }
        assertThat(JournalCursor.read(dir).cursor()).isEqualTo(9);
    }

    @Test
    void should_read_an_earlier_versions_file_and_keep_it_until_a_slot_is_written() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(36).putInt(0x4C4F4743).putLong(40).putInt(1).putLong(42).putLong(43);
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, 32);
        b.putInt((int) crc.getValue());
        Files.write(dir.resolve("cursor"), b.array());
        JournalCursor.State legacy = JournalCursor.read(dir);
        assertThat(legacy.cursor()).isEqualTo(40);
        assertThat(legacy.doneRuns()).containsExactly(42, 43);
        try (JournalCursor cursor = JournalCursor.open(dir)) {
            cursor.write(new JournalCursor.State(44, new long[0]), false);
            byte[] bytes = Files.readAllBytes(dir.resolve("cursor"));
            assertThat(ByteBuffer.wrap(bytes).getInt(0)).as("the earlier state, still in place").isEqualTo(0x4C4F4743);
            assertThat(JournalCursor.read(dir).cursor()).isEqualTo(44);
        }
    }

    @Test
    void should_replay_everything_when_no_slot_is_readable() throws Exception {
        Files.write(dir.resolve("cursor"), new byte[] {1, 2, 3});
        assertThat(JournalCursor.read(dir).cursor()).isZero();
    }
}
