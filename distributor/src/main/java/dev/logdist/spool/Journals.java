package dev.logdist.spool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every analyzer's {@link Journal} under {@code <data-dir>/journal/<analyzer>/}, forced to disk every second whatever
 * the durability and closed last at shutdown; and the one question ingest asks: is there room to keep a packet? A
 * spool left by an older version under {@code <data-dir>/spool/<analyzer>/} is moved into the journal at start.
 */
public final class Journals extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(Journals.class);
    private static final long SYNC_INTERVAL_MS = 1000;

    private final List<String> names;
    private final Journal[] journals;
    private ScheduledExecutorService syncer;

    public Journals(Path dataDir, List<String> names, JournalOptions options) throws IOException {
        this.names = List.copyOf(names);
        this.journals = new Journal[names.size()];
        for (int i = 0; i < journals.length; i++) {
            journals[i] = new Journal(names.get(i), dataDir.resolve("journal").resolve(names.get(i)), options);
            adoptOlderSpool(journals[i], dataDir.resolve("spool").resolve(names.get(i)), names.get(i));
        }
    }

    public Journal of(int analyzer) {
        return journals[analyzer];
    }

    public int size() {
        return journals.length;
    }

    /** Whether every journal takes more: under its cap, with the disk above its reserve. Lock-free. */
    public boolean hasRoom() {
        for (Journal j : journals) {
            if (!j.hasRoom()) {
                return false;
            }
        }
        return true;
    }

    /** The chunks an older version spooled: appended to the journal, then the old spool is removed. */
    private static void adoptOlderSpool(Journal journal, Path oldDir, String name) throws IOException {
        if (!Files.isDirectory(oldDir)) {
            return;
        }
        long moved = 0;
        try (DiskSpool old = new DiskSpool(name, oldDir, 64L << 20)) {
            for (var chunks = old.peek(1000); !chunks.isEmpty(); chunks = old.peek(1000)) {
                journal.append(chunks).durable().join();
                old.acknowledge(chunks.size());
                moved += chunks.size();
            }
        }
        journal.sync();
        try (var files = Files.walk(oldDir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        LOG.info("moved {} chunks of {} from the spool of an older version into its journal", moved, name);
    }

    @Override
    protected void doStart() {
        syncer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "journal-sync");
            t.setDaemon(true);
            return t;
        });
        syncer.scheduleWithFixedDelay(this::syncAll, SYNC_INTERVAL_MS, SYNC_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    private void syncAll() {
        for (int i = 0; i < journals.length; i++) {
            try {
                journals[i].sync();
            } catch (IOException | RuntimeException e) {
                LOG.error("could not force the journal of {} to disk: {}", names.get(i), e.toString());
            }
        }
    }

    @Override
    protected void doStop() throws IOException {
        if (syncer != null) {
            syncer.shutdownNow();
        }
        for (Journal j : journals) {
            j.close();
        }
    }
}
