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
 * Every analyzer's {@link DiskSpool} under {@code <data-dir>/spool/<analyzer>/}, forced to disk every second and
 * closed last at shutdown; and the one question ingest asks: is there still room to keep what we accept?
 */
public final class Spools extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(Spools.class);
    private final DiskSpool[] spools;
    private final Path root;
    private final long maxBytes;
    /** Free disk space below which ingest stops accepting rather than risk a spool write that cannot land. */
    private final long minFreeBytes;
    private ScheduledExecutorService syncer;
    private volatile long roomCheckedAt;
    private volatile boolean room = true;

    public Spools(Path dataDir, List<String> analyzers, long segmentBytes, long maxBytes, long minFreeBytes) throws IOException {
        this.root = dataDir.resolve("spool");
        this.maxBytes = maxBytes;
        this.minFreeBytes = minFreeBytes;
        this.spools = new DiskSpool[analyzers.size()];
        for (int i = 0; i < spools.length; i++) {
            spools[i] = new DiskSpool(analyzers.get(i), root.resolve(analyzers.get(i)), segmentBytes);
        }
    }

    public DiskSpool of(int analyzer) {
        return spools[analyzer];
    }

    public long pendingBytes() {
        long sum = 0;
        for (DiskSpool s : spools) {
            sum += s.pendingBytes();
        }
        return sum;
    }

    /** Whether the spools are under their cap and the disk has room; checked at most every 200 ms. */
    public boolean hasRoom() {
        long now = System.nanoTime();
        if (now - roomCheckedAt > 200_000_000L) {
            roomCheckedAt = now;
            boolean underCap = pendingBytes() < maxBytes;
            boolean diskFree;
            try {
                diskFree = Files.getFileStore(root).getUsableSpace() > minFreeBytes;
            } catch (IOException e) {
                diskFree = false;
            }
            if (room && !(underCap && diskFree)) {
                LOG.error("spool is full ({} bytes pending, cap {}; disk free: {}): answering 503 until there is room",
                        pendingBytes(), maxBytes, diskFree);
            }
            room = underCap && diskFree;
        }
        return room;
    }

    @Override
    protected void doStart() {
        syncer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "spool-sync");
            t.setDaemon(true);
            return t;
        });
        syncer.scheduleWithFixedDelay(this::syncAll, 1, 1, TimeUnit.SECONDS);
    }

    private void syncAll() {
        for (DiskSpool s : spools) {
            try {
                s.sync();
            } catch (IOException | RuntimeException e) {
                LOG.error("could not force a spool to disk: {}", e.toString());
            }
        }
    }

    @Override
    protected void doStop() throws IOException {
        if (syncer != null) {
            syncer.shutdownNow();
        }
        for (DiskSpool s : spools) {
            s.close();
        }
    }
}
