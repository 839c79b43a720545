package dev.logdist.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recovery of one segment file: every record's checksum is verified; a corrupt stretch is skipped up to the next valid
 * record (magic, sane length, matching checksum, increasing sequence number) so that nothing valid after it is lost,
 * and a torn tail, with no valid record after it, is cut off. Both are copied aside to {@code .corrupt-*} files first.
 */
final class JournalScanner {

    private static final Logger LOG = LoggerFactory.getLogger(JournalScanner.class);
    private static final int WINDOW = 64 << 10;

    /** A valid record: its number and where its frame lies. */
    record Found(long seq, long start, int length) {
    }

    /** The valid records of a segment, in order, the bytes skipped or cut, and the file's size afterwards. */
    record Result(List<Found> records, long skippedBytes, long size) {
    }

    private JournalScanner() {
    }

    /** Scans {@code file}, whose records must all be numbered above {@code lastSeq} (the previous segment's last). */
    static Result scan(Path file, long lastSeq) throws IOException {
        List<Found> records = new ArrayList<>();
        long skipped = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            long pos = 0;
            long last = lastSeq;
            while (pos < size) {
                Found f = recordAt(ch, pos, size, last);
                if (f != null) {
                    records.add(f);
                    last = f.seq();
                    pos += f.length();
                    continue;
                }
                long next = nextRecord(ch, pos + 1, size, last);
                long end = next < 0 ? size : next;
                copyAside(ch, file, pos, end);
                skipped += end - pos;
                if (next < 0) {
                    LOG.warn("journal segment {}: torn or corrupt tail of {} bytes from byte {}; cut off",
                            file, end - pos, pos);
                    ch.truncate(pos);
                    size = pos;
                } else {
                    LOG.warn("journal segment {}: {} corrupt bytes from byte {} skipped; records resume at byte {}",
                            file, end - pos, pos, next);
                    pos = next;
                }
            }
            return new Result(records, skipped, size);
        }
    }

    /** The valid record starting at {@code pos} and numbered above {@code minSeq}, or null. */
    private static Found recordAt(FileChannel ch, long pos, long size, long minSeq) throws IOException {
        if (size - pos < JournalRecord.HEADER + JournalRecord.MIN_PAYLOAD) {
            return null;
        }
        ByteBuffer header = ByteBuffer.allocate(JournalRecord.HEADER);
        readFully(ch, header, pos);
        int length = JournalRecord.payloadLength(header);
        if (length < 0 || pos + JournalRecord.HEADER + length > size) {
            return null;
        }
        byte[] payload = new byte[length];
        readFully(ch, ByteBuffer.wrap(payload), pos + JournalRecord.HEADER);
        long seq = JournalRecord.validSeq(header, payload);
        return seq > minSeq ? new Found(seq, pos, JournalRecord.HEADER + length) : null;
    }

    /** The offset of the next valid record from {@code from} on, or -1: a search for the magic, each hit verified. */
    private static long nextRecord(FileChannel ch, long from, long size, long minSeq) throws IOException {
        ByteBuffer window = ByteBuffer.allocate(WINDOW);
        long p = from;
        while (size - p >= JournalRecord.HEADER + JournalRecord.MIN_PAYLOAD) {
            window.clear();
            int n = readFully(ch, window, p);
            for (int i = 0; i + 4 <= n; i++) {
                if (window.getInt(i) == JournalRecord.MAGIC && recordAt(ch, p + i, size, minSeq) != null) {
                    return p + i;
                }
            }
            p += n - 3; // a magic may straddle the window's end
        }
        return -1;
    }

    private static void copyAside(FileChannel ch, Path file, long from, long to) {
        Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + System.currentTimeMillis() + "-" + from);
        try (FileChannel out = FileChannel.open(aside, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long pos = from;
            while (pos < to) {
                long n = ch.transferTo(pos, to - pos, out);
                if (n <= 0) {
                    throw new IOException("copied only " + (pos - from) + " bytes");
                }
                pos += n;
            }
        } catch (IOException e) {
            // recovery must not fail for want of room to keep evidence: the bytes are skipped either way
            LOG.error("journal segment {}: could not copy corrupt bytes {}..{} aside: {}", file, from, to, e.toString());
        }
    }

    /** Reads from {@code pos} until {@code buf} is full or the file ends; answers the bytes read. */
    static int readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        int start = buf.position();
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + buf.position() - start);
            if (n < 0) {
                break;
            }
        }
        return buf.position() - start;
    }
}
