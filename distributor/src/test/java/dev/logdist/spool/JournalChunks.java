package dev.logdist.spool;

import dev.logdist.model.Chunk;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/** Chunks, options and file helpers shared by the journal tests. */
final class JournalChunks {

    static final JournalOptions SMALL = JournalOptions.defaults().withMinFreeBytes(0).withCursorIntervalMillis(0);

    private JournalChunks() {
    }

    /** A chunk whose id, message count and JSON all derive from {@code i}, about {@code size} bytes of JSON. */
    static Chunk chunk(int i, int size) {
        String json = "{\"packetId\":\"p-" + i + "\",\"pad\":\"" + "x".repeat(Math.max(0, size - 30)) + "\"}";
        return new Chunk("p-" + i, i % 7 + 1, json.getBytes(StandardCharsets.UTF_8));
    }

    static Chunk chunk(int i) {
        return chunk(i, 40 + i % 50);
    }

    static List<Long> seqs(List<JournalEntry> entries) {
        return entries.stream().map(JournalEntry::seq).toList();
    }

    static List<JournalEntry> all(Journal journal) throws IOException {
        return journal.readPending(Integer.MAX_VALUE, Long.MAX_VALUE, seq -> false);
    }

    static List<Path> segments(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".seg")).sorted().toList();
        }
    }

    static List<Path> corruptCopies(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().contains(".corrupt-")).sorted().toList();
        }
    }

    /** What a kill -9 leaves: the files as they are now (page cache included), without the journal's close. */
    static Path crashCopy(Path dir, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> !p.getFileName().toString().equals("lock")).toList()) {
                Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return to;
    }
}
