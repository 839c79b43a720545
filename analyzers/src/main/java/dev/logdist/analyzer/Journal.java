package dev.logdist.analyzer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analyzer's memory across restarts: one line {@code <messages> <agentId> <packetId>} per distinct packet or
 * chunk ({@code <messages> <packetId>} for a packet without an agent id), written to the file before the packet counts
 * and is acknowledged, so a killed analyzer comes back with its counts and still recognises duplicates. Only lines
 * ending in a newline were written whole; a torn last line is cut off at open and never read as an id.
 */
final class Journal implements PacketLedger.Sink, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
    static final String FILE = "packets.journal";

    private final FileChannel channel;

    private Journal(FileChannel channel) {
        this.channel = channel;
    }

    /**
     * Opens (or creates) the journal in {@code dir}, cuts off a torn last line, feeds the rest into {@code ledger} and
     * makes it write its new packets here.
     */
    static Journal open(Path dir, PacketLedger ledger) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE);
        long whole = cutTornTail(file);
        int unreadable = 0;
        try (InputStream in = Files.newInputStream(file)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream(96);
            byte[] block = new byte[1 << 16];
            long left = whole;
            int n;
            while (left > 0 && (n = in.read(block, 0, (int) Math.min(block.length, left))) >= 0) {
                left -= n;
                int from = 0;
                for (int i = 0; i < n; i++) {
                    if (block[i] == '\n') {
                        line.write(block, from, i - from);
                        if (!replay(line.toString(StandardCharsets.UTF_8), ledger)) {
                            unreadable++;
                        }
                        line.reset();
                        from = i + 1;
                    }
                }
                line.write(block, from, n - from);
            }
        }
        if (unreadable > 0) {
            LOG.warn("journal {}: {} whole lines are not <messages> [<agentId>] <packetId> and were not counted", file, unreadable);
        }
        Journal journal = new Journal(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND));
        ledger.writeTo(journal);
        return journal;
    }

    /** Truncates {@code file} after its last newline (creating it when absent); returns its length after that. */
    private static long cutTornTail(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            ByteBuffer block = ByteBuffer.allocate(8192);
            long end = size;
            while (end > 0) {
                long from = Math.max(0, end - block.capacity());
                block.clear().limit((int) (end - from));
                while (block.hasRemaining() && ch.read(block, from + block.position()) >= 0) {
                    // read the whole block
                }
                for (int i = block.position() - 1; i >= 0; i--) {
                    if (block.get(i) == '\n') {
                        return cut(ch, file, size, from + i + 1);
                    }
                }
                end = from;
            }
            return cut(ch, file, size, 0);
        }
    }

    private static long cut(FileChannel ch, Path file, long size, long whole) throws IOException {
        if (whole < size) {
            // the process died while writing this line: its packet was not acknowledged, so it is not counted
            LOG.warn("journal {}: cut off a torn last line of {} bytes", file, size - whole);
            ch.truncate(whole);
            ch.force(false);
        }
        return whole;
    }

    /** Counts one whole line, {@code <messages> <packetId>} or {@code <messages> <agentId> <packetId>}; false when it is neither. */
    private static boolean replay(String line, PacketLedger ledger) {
        int first = line.indexOf(' ');
        int last = line.lastIndexOf(' ');
        if (first <= 0 || last == line.length() - 1 || last == first + 1
                || (last > first && line.indexOf(' ', first + 1) != last)) {
            return false;
        }
        int messages;
        try {
            messages = Integer.parseInt(line.substring(0, first));
        } catch (NumberFormatException e) {
            return false;
        }
        if (messages < 0) {
            return false;
        }
        String packetId = line.substring(last + 1);
        String agentId = last > first ? line.substring(first + 1, last) : null;
        ledger.replay(new PacketScanner.Seen(agentId, packetId, messages).key(), messages);
        return true;
    }

    /** The journal line of a packet with an id; a packet without one cannot be judged by id and has no line. */
    static String line(PacketScanner.Seen p) {
        if (p.packetId() == null) {
            return "";
        }
        return p.agentId() == null ? p.messages() + " " + p.packetId() + "\n"
                : p.messages() + " " + p.agentId() + " " + p.packetId() + "\n";
    }

    /**
     * Writes the lines of {@code fresh} in one append; when that fails the journal is cut back to where it was, so it
     * holds no line of a packet that was not counted. Written to the file, not forced to the disk: the lines survive a
     * killed process, not a lost machine.
     */
    @Override
    public synchronized void append(List<PacketScanner.Seen> fresh) throws IOException {
        StringBuilder lines = new StringBuilder(fresh.size() * 64);
        for (PacketScanner.Seen p : fresh) {
            lines.append(line(p));
        }
        if (lines.length() == 0) {
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
        long before = channel.size();
        try {
            while (b.hasRemaining()) {
                channel.write(b);
            }
        } catch (IOException e) {
            try {
                channel.truncate(before);
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
    }

    @Override
    public synchronized void clear() throws IOException {
        channel.truncate(0);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
