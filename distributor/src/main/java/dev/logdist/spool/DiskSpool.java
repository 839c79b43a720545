package dev.logdist.spool;

import dev.logdist.model.Chunk;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One analyzer's spool: chunks it could not take yet, oldest first, in append-only segment files with a cursor
 * file marking what was delivered. Survives restarts; a torn or corrupt tail is logged and cut off at open.
 * Appends reach the page cache at once (a killed process loses nothing appended) and are forced to disk on segment
 * roll, on {@link #sync()} (every second) and on close: a machine crash may lose the last second of appends.
 */
public final class DiskSpool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DiskSpool.class);
    private static final String SUFFIX = ".seg";

    private final String name;
    private final Path dir;
    private final long segmentBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final TreeMap<Long, Long> segments = new TreeMap<>(); // sequence -> size in bytes
    private FileChannel writer;
    private long writeSeq;
    private long readSeq;
    private long readOffset;
    private long pendingRecords;
    /** Where each chunk returned by the last peek ends, as {segment, offset}: acknowledging moves the cursor there. */
    private final List<long[]> peekedEnds = new ArrayList<>();

    public DiskSpool(String name, Path dir, long segmentBytes) throws IOException {
        this.name = name;
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        Files.createDirectories(dir);
        open();
    }

    private void open() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).toList()) {
                String n = f.getFileName().toString();
                segments.put(Long.parseLong(n.substring(0, n.length() - SUFFIX.length())), Files.size(f));
            }
        }
        readCursor();
        segments.headMap(readSeq).keySet().forEach(this::deleteQuietly);
        segments.headMap(readSeq).clear();
        for (long seq : List.copyOf(segments.keySet())) {
            pendingRecords += checkSegment(seq, seq == readSeq ? readOffset : 0);
        }
        writeSeq = segments.isEmpty() ? Math.max(readSeq, 1) : segments.lastKey();
        writer = FileChannel.open(segment(writeSeq), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        writer.position(writer.size());
        segments.putIfAbsent(writeSeq, writer.size());
        if (readSeq == 0 || !segments.containsKey(readSeq)) {
            readSeq = segments.firstKey();
            readOffset = 0;
        }
        if (pendingRecords > 0) {
            LOG.info("spool of {} holds {} undelivered chunks from before; they will be replayed", name, pendingRecords);
        }
    }

    /** Counts the valid records of a segment from {@code from}; cuts off a torn or corrupt tail. */
    private long checkSegment(long seq, long from) throws IOException {
        long count = 0;
        try (FileChannel ch = FileChannel.open(segment(seq), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long pos = from;
            while (pos < ch.size()) {
                long next = validRecordEnd(ch, pos);
                if (next < 0) {
                    LOG.warn("spool of {}: segment {} has a torn or corrupt record at byte {} of {}; cutting it off there",
                            name, seq, pos, ch.size());
                    Files.copy(segment(seq), dir.resolve(seq + SUFFIX + ".corrupt-" + System.currentTimeMillis()));
                    ch.truncate(pos);
                    break;
                }
                pos = next;
                count++;
            }
            segments.put(seq, ch.size());
        }
        return count;
    }

    private static long validRecordEnd(FileChannel ch, long pos) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(SpoolRecord.HEADER);
        if (ch.read(header, pos) < SpoolRecord.HEADER) {
            return -1;
        }
        int length = SpoolRecord.payloadLength(header);
        if (length < 0 || pos + SpoolRecord.HEADER + length > ch.size()) {
            return -1;
        }
        ByteBuffer payload = ByteBuffer.allocate(length);
        ch.read(payload, pos + SpoolRecord.HEADER);
        return SpoolRecord.decode(header, payload.array()) == null ? -1 : pos + SpoolRecord.HEADER + length;
    }

    /**
     * Appends a chunk at the end of the spool. A thread's interrupt is held back meanwhile: a {@code FileChannel}
     * written by an interrupted thread closes itself, and with it the spool for every other writer.
     */
    public void append(Chunk chunk) throws IOException {
        ByteBuffer record = SpoolRecord.encode(chunk);
        boolean interrupted = Thread.interrupted();
        lock.lock();
        try {
            if (segments.get(writeSeq) > 0 && segments.get(writeSeq) + record.remaining() > segmentBytes) {
                roll();
            }
            while (record.hasRemaining()) {
                writer.write(record);
            }
            segments.put(writeSeq, writer.position());
            pendingRecords++;
        } finally {
            lock.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void roll() throws IOException {
        writer.force(false);
        writer.close();
        writeSeq++;
        writer = FileChannel.open(segment(writeSeq), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        segments.put(writeSeq, 0L);
    }

    /** Up to {@code max} of the oldest undelivered chunks, in order; {@link #acknowledge} them once delivered. */
    public List<Chunk> peek(int max) throws IOException {
        return peek(max, Long.MAX_VALUE);
    }

    /**
     * Up to {@code max} of the oldest undelivered chunks, in order, and no more than {@code maxBytes} of chunk JSON
     * unless the first alone is larger (one chunk at least); {@link #acknowledge} them once delivered.
     */
    public List<Chunk> peek(int max, long maxBytes) throws IOException {
        lock.lock();
        try {
            peekedEnds.clear();
            List<Chunk> out = new ArrayList<>();
            long bytes = 0;
            long seq = readSeq;
            long offset = readOffset;
            while (out.size() < max && bytes < maxBytes && segments.containsKey(seq)) {
                if (offset >= segments.get(seq)) {
                    if (seq == writeSeq) {
                        break;
                    }
                    seq = segments.higherKey(seq);
                    offset = 0;
                    continue;
                }
                try (FileChannel ch = FileChannel.open(segment(seq), StandardOpenOption.READ)) {
                    while (out.size() < max && offset < segments.get(seq)) {
                        ByteBuffer header = ByteBuffer.allocate(SpoolRecord.HEADER);
                        ch.read(header, offset);
                        byte[] payload = new byte[SpoolRecord.payloadLength(header)];
                        ch.read(ByteBuffer.wrap(payload), offset + SpoolRecord.HEADER);
                        Chunk chunk = SpoolRecord.decode(header, payload);
                        if (!out.isEmpty() && bytes + chunk.json().length > maxBytes) {
                            bytes = maxBytes; // full: the next peek starts with this one
                            break;
                        }
                        out.add(chunk);
                        bytes += chunk.json().length;
                        offset += SpoolRecord.HEADER + payload.length;
                        peekedEnds.add(new long[] {seq, offset});
                    }
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Marks the {@code count} oldest chunks (of those the last {@link #peek} returned) delivered: moves the cursor
     * past them and deletes the segments left behind.
     */
    public void acknowledge(int count) throws IOException {
        lock.lock();
        try {
            if (count < 1 || count > peekedEnds.size()) {
                throw new IllegalArgumentException("can acknowledge 1 to " + peekedEnds.size() + " peeked chunks, not " + count);
            }
            long[] end = peekedEnds.get(count - 1);
            for (long spent : List.copyOf(segments.headMap(end[0]).keySet())) {
                deleteQuietly(spent);
                segments.remove(spent);
            }
            readSeq = end[0];
            readOffset = end[1];
            pendingRecords -= count;
            peekedEnds.clear();
            writeCursor();
        } finally {
            lock.unlock();
        }
    }

    public long pendingRecords() {
        lock.lock();
        try {
            return pendingRecords;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes of undelivered chunks on disk. */
    public long pendingBytes() {
        lock.lock();
        try {
            long bytes = -readOffset;
            for (long size : segments.tailMap(readSeq).values()) {
                bytes += size;
            }
            return Math.max(0, bytes);
        } finally {
            lock.unlock();
        }
    }

    /** Forces appended chunks to disk. */
    public void sync() throws IOException {
        lock.lock();
        try {
            writer.force(false);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            writer.force(false);
            writer.close();
            writeCursor();
        } finally {
            lock.unlock();
        }
    }

    private void readCursor() throws IOException {
        Path cursor = dir.resolve("cursor");
        if (Files.exists(cursor)) {
            String[] parts = Files.readString(cursor, StandardCharsets.US_ASCII).trim().split(" ");
            try {
                readSeq = Long.parseLong(parts[0]);
                readOffset = Long.parseLong(parts[1]);
            } catch (RuntimeException e) {
                LOG.warn("spool of {}: unreadable cursor file, replaying from the oldest segment", name);
                readSeq = 0;
                readOffset = 0;
            }
        }
    }

    private void writeCursor() throws IOException {
        Path tmp = dir.resolve("cursor.tmp");
        Files.writeString(tmp, readSeq + " " + readOffset + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, dir.resolve("cursor"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private Path segment(long seq) {
        return dir.resolve(String.format("%020d%s", seq, SUFFIX));
    }

    private void deleteQuietly(long seq) {
        try {
            Files.deleteIfExists(segment(seq));
        } catch (IOException e) {
            LOG.warn("spool of {}: could not delete spent segment {}: {}", name, seq, e.toString());
        }
    }
}
