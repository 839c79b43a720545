package dev.logdist.spool;

import static dev.logdist.spool.JournalChunks.all;
import static dev.logdist.spool.JournalChunks.chunk;
import static dev.logdist.spool.JournalChunks.segments;
import static org.assertj.core.api.Assertions.assertThat;

import dev.logdist.model.Chunk;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** Random appends, dones, reopens, crashes and torn tails, against a model of what the journal must then hold. */
class JournalModelTest {

    sealed interface Op permits Append, Done, Reopen, Tear, Crash {
    }

    record Append(List<Integer> sizes) implements Op {
    }

    record Done(List<Integer> picks) implements Op {
    }

    record Reopen() implements Op {
    }

    record Tear(int cut) implements Op {
    }

    /** A kill -9: the files as they are, without close. */
    record Crash() implements Op {
    }

    /** A record the model knows: its chunk and whether it was done since the last reopen. */
    private static final class Rec {
        final Chunk chunk;
        boolean done;

        Rec(Chunk chunk) {
            this.chunk = chunk;
        }
    }

    private static final JournalOptions OPTIONS = JournalChunks.SMALL.withSegmentBytes(4096);

    @Property(tries = 150)
    void the_journal_holds_what_the_model_says(@ForAll("ops") List<Op> ops) throws Exception {
        Path root = Files.createTempDirectory("journal-model");
        Path dir = root.resolve("0");
        List<Journal> abandoned = new ArrayList<>();
        long persistedCursor = 0;
        Set<Long> persistedDone = new HashSet<>(); // what the cursor file holds: written when a done moves the cursor
        TreeMap<Long, Rec> model = new TreeMap<>(); // every record not torn; those at or below the cursor may be gone
        long cursor = 0;
        long nextSeq = 1;
        int id = 0;
        Journal j = new Journal("m", dir, OPTIONS);
        try {
            for (Op op : ops) {
                if (op instanceof Append a) {
                    List<Chunk> chunks = new ArrayList<>();
                    for (int size : a.sizes()) {
                        chunks.add(chunk(id++, size));
                    }
                    assertThat(j.append(chunks).firstSeq()).isEqualTo(nextSeq);
                    for (Chunk c : chunks) {
                        model.put(nextSeq++, new Rec(c));
                    }
                } else if (op instanceof Done d) {
                    List<Long> pending = pending(model, cursor);
                    long[] seqs = d.picks().stream().filter(p -> !pending.isEmpty())
                            .mapToLong(p -> pending.get(p % pending.size())).toArray();
                    j.done(seqs);
                    for (long s : seqs) {
                        model.get(s).done = true;
                    }
                    long before = cursor;
                    cursor = advance(model, cursor);
                    if (cursor != before) {
                        persistedCursor = cursor;
                        persistedDone = doneAbove(model, cursor);
                    }
                } else if (op instanceof Crash) {
                    abandoned.add(j);
                    dir = JournalChunks.crashCopy(dir, root.resolve(String.valueOf(abandoned.size())));
                    j = new Journal("m", dir, OPTIONS);
                    cursor = persistedCursor;
                    model.headMap(cursor, true).clear();
                    for (Map.Entry<Long, Rec> e : model.entrySet()) {
                        e.getValue().done = persistedDone.contains(e.getKey());
                    }
                    nextSeq = highest(model, cursor, persistedDone) + 1;
                    cursor = advance(model, cursor);
                } else {
                    j.close(); // persists everything
                    persistedCursor = cursor;
                    persistedDone = doneAbove(model, cursor);
                    if (op instanceof Tear t && !segments(dir).isEmpty()) {
                        Map.Entry<Long, Rec> last = model.lastEntry();
                        int frame = JournalRecord.frameSize(last.getValue().chunk);
                        Path segment = segments(dir).get(segments(dir).size() - 1);
                        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
                            f.setLength(f.length() - 1 - t.cut() % (frame - 1));
                        }
                        model.remove(last.getKey());
                    }
                    j = new Journal("m", dir, OPTIONS);
                    long c = cursor;
                    model.headMap(c, true).clear();
                    nextSeq = highest(model, c, persistedDone) + 1;
                    cursor = advance(model, cursor);
                }
                List<JournalEntry> read = all(j);
                List<Long> pending = pending(model, cursor);
                assertThat(JournalChunks.seqs(read)).as("after %s", op).isEqualTo(pending);
                for (JournalEntry e : read) {
                    assertThat(e.chunk().chunkId()).isEqualTo(model.get(e.seq()).chunk.chunkId());
                }
                JournalStats stats = j.stats();
                assertThat(stats.cursor()).as("cursor after %s", op).isEqualTo(cursor);
                assertThat(stats.pendingRecords()).isEqualTo(pending.size());
                long c = cursor;
                assertThat(stats.doneAboveCursor())
                        .isEqualTo(model.tailMap(c, false).values().stream().filter(r -> r.done).count());
            }
        } finally {
            j.close();
            for (Journal a : abandoned) {
                a.close();
            }
            try (Stream<Path> files = Files.walk(root)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** The highest number in the files (absorbed by the cursor if gone) or in the cursor file's done runs. */
    private static long highest(TreeMap<Long, Rec> model, long cursor, Set<Long> persistedDone) {
        long highest = Math.max(cursor, model.isEmpty() ? 0 : model.lastKey());
        return Math.max(highest, persistedDone.stream().mapToLong(Long::longValue).max().orElse(0));
    }

    private static Set<Long> doneAbove(TreeMap<Long, Rec> model, long cursor) {
        Set<Long> done = new HashSet<>();
        model.tailMap(cursor, false).forEach((seq, r) -> {
            if (r.done) {
                done.add(seq);
            }
        });
        return done;
    }

    private static List<Long> pending(TreeMap<Long, Rec> model, long cursor) {
        return model.tailMap(cursor, false).entrySet().stream().filter(e -> !e.getValue().done)
                .map(Map.Entry::getKey).toList();
    }

    /** Just below the oldest pending record; else the highest record known (all done); else where it was. */
    private static long advance(TreeMap<Long, Rec> model, long cursor) {
        for (Map.Entry<Long, Rec> e : model.tailMap(cursor, false).entrySet()) {
            if (!e.getValue().done) {
                return e.getKey() - 1;
            }
        }
        return model.isEmpty() ? cursor : Math.max(cursor, model.lastKey());
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> append = Arbitraries.integers().between(10, 1500).list().ofMinSize(1).ofMaxSize(4)
                .map(Append::new);
        Arbitrary<Op> done = Arbitraries.integers().between(0, 1000).list().ofMinSize(1).ofMaxSize(5).map(Done::new);
        Arbitrary<Op> reopen = Arbitraries.just(new Reopen());
        Arbitrary<Op> tear = Arbitraries.integers().between(0, 10_000).map(Tear::new);
        Arbitrary<Op> crash = Arbitraries.just(new Crash());
        return Arbitraries.frequencyOf(Tuple.of(5, append), Tuple.of(4, done), Tuple.of(1, reopen), Tuple.of(1, tear),
                        Tuple.of(1, crash))
                .list().ofMinSize(1).ofMaxSize(40);
    }
}
