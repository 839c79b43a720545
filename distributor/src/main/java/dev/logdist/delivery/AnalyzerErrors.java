package dev.logdist.delivery;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Why each analyzer's last failed request failed ({@code HTTP 401 from http://...}, a refused connection, a timeout),
 * as its breaker saw it: kept for {@code GET /analyzers}, and logged at WARN at most once per {@value #LOG_EVERY_SECONDS}
 * seconds per analyzer, with how many failures the lines in between would have been.
 */
public final class AnalyzerErrors {

    private static final Logger LOG = LoggerFactory.getLogger(AnalyzerErrors.class);
    private static final long LOG_EVERY_SECONDS = 10;

    /** The last failure of an analyzer: what, and when. */
    public record LastError(String reason, Instant at) {
    }

    private final List<String> names;
    private final LastError[] last;
    private final AtomicLong[] loggedAt;
    private final AtomicLong[] unlogged;

    public AnalyzerErrors(List<String> names, AnalyzerHealth health) {
        this.names = List.copyOf(names);
        this.last = new LastError[names.size()];
        this.loggedAt = new AtomicLong[names.size()];
        this.unlogged = new AtomicLong[names.size()];
        for (int i = 0; i < last.length; i++) {
            int analyzer = i;
            loggedAt[i] = new AtomicLong(System.nanoTime() - TimeUnit.SECONDS.toNanos(LOG_EVERY_SECONDS));
            unlogged[i] = new AtomicLong();
            health.breaker(i).getEventPublisher().onError(e -> failed(analyzer, e.getThrowable()));
        }
    }

    /** The analyzer's last failure, or null when it has had none since the start. */
    public LastError last(int analyzer) {
        synchronized (last) {
            return last[analyzer];
        }
    }

    void failed(int analyzer, Throwable failure) {
        String reason = reason(failure);
        synchronized (last) {
            last[analyzer] = new LastError(reason, Instant.now());
        }
        long now = System.nanoTime();
        long before = loggedAt[analyzer].get();
        if (now - before >= TimeUnit.SECONDS.toNanos(LOG_EVERY_SECONDS) && loggedAt[analyzer].compareAndSet(before, now)) {
            long more = unlogged[analyzer].getAndSet(0);
            LOG.warn("delivery to analyzer {} failed: {}{}", names.get(analyzer), reason,
                    more == 0 ? "" : " (" + more + " more failures since the last line like this)");
        } else {
            unlogged[analyzer].incrementAndGet();
        }
    }

    /** The judge's own words for a status; else the innermost cause, which names what failed (connect, read). */
    static String reason(Throwable failure) {
        Throwable inner = failure;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof AnalyzerUnavailableException) {
                return t.getMessage();
            }
            inner = t;
        }
        return inner.getClass().getSimpleName() + (inner.getMessage() == null ? "" : ": " + inner.getMessage());
    }
}
