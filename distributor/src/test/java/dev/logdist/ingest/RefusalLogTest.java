package dev.logdist.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logdist.validation.Violation;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RefusalLogTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final RefusalLog log = new RefusalLog(now::get);
    private final Violation level = new Violation("[3].level", "must be one of ...");

    @Test
    void should_log_an_agent_at_most_once_per_interval_and_each_agent_on_its_own() {
        assertThat(log.refused("syslog-ng-1", "lines", 400, "bad", level)).isTrue();
        assertThat(log.refused("syslog-ng-1", "lines", 400, "bad", level)).isFalse();
        assertThat(log.refused("syslog-ng-1", "native", 415, "bad", null)).isFalse();
        assertThat(log.refused("vector-1", "lines", 400, "bad", level)).as("another agent").isTrue();
        now.addAndGet(TimeUnit.SECONDS.toNanos(RefusalLog.INTERVAL_SECONDS) - 1);
        assertThat(log.refused("syslog-ng-1", "lines", 400, "bad", level)).isFalse();
        now.addAndGet(1);
        assertThat(log.refused("syslog-ng-1", "lines", 400, "bad", level)).as("the next interval").isTrue();
    }

    @Test
    void should_share_one_line_among_agents_past_the_most_it_tracks() {
        for (int i = 0; i < RefusalLog.MAX_AGENTS; i++) {
            assertThat(log.refused("agent-" + i, "native", 400, "bad", null)).isTrue();
        }
        assertThat(log.refused("one-too-many", "native", 400, "bad", null)).isTrue();
        assertThat(log.refused("and-another", "native", 400, "bad", null)).as("counted with the other agents").isFalse();
        now.addAndGet(TimeUnit.SECONDS.toNanos(RefusalLog.INTERVAL_SECONDS));
        assertThat(log.refused("and-another", "native", 400, "bad", null)).as("the old windows have gone").isTrue();
    }

    @Test
    void should_name_an_agent_it_does_not_know() {
        assertThat(log.refused(null, "otlp", 400, "bad", null)).isTrue();
        assertThat(log.refused("", "otlp", 400, "bad", null)).isFalse();
    }
}
