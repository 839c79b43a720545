package dev.logdist.analyzer;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The analyzer's memory across restarts: one line {@code <messages> <packetId>} per distinct packet, written before
 * the packet is acknowledged, so a killed analyzer comes back with its counts and still recognises duplicates.
 */
final class Journal implements AutoCloseable {

    private final FileChannel channel;

    private Journal(FileChannel channel) {
        this.channel = channel;
    }

    /** Opens (or creates) the journal in {@code dir} and feeds what it holds into {@code ledger}. */
    static Journal open(Path dir, PacketLedger ledger) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("packets.journal");
        if (Files.exists(file)) {
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    int space = line.indexOf(' ');
                    if (space > 0) {
                        try {
                            ledger.record(line.substring(space + 1), Integer.parseInt(line.substring(0, space)));
                        } catch (NumberFormatException torn) {
                            // a line cut short by a kill: the packet was not acknowledged, so not counted
                        }
                    }
                }
            }
        }
        return new Journal(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND));
    }

    synchronized void append(String lines) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(lines.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
