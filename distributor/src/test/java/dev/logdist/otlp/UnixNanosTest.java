package dev.logdist.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** OTLP's unsigned nanoseconds as the text {@link Instant#toString} gives, the fraction trimmed in groups of three. */
class UnixNanosTest {

    private static String instant(long nanos) {
        return Instant.ofEpochSecond(Long.divideUnsigned(nanos, 1_000_000_000L), Long.remainderUnsigned(nanos, 1_000_000_000L))
                .toString();
    }

    @Test
    void should_write_what_instant_writes_for_whole_seconds_millis_micros_nanos_and_the_edges() {
        long[] edges = {1, 999, 1_000, 1_000_000, 999_999_999, 1_000_000_000, -1, Long.MAX_VALUE, Long.MIN_VALUE,
                OtlpRequests.TIME, 951_782_400_000_000_000L /* 2000-02-29 */, 4_107_542_400_000_000_000L /* 2100-03-01 */};
        for (long nanos : edges) {
            assertThat(UnixNanos.iso(nanos)).as("%s", Long.toUnsignedString(nanos)).isEqualTo(instant(nanos));
        }
        assertThat(UnixNanos.iso(OtlpRequests.TIME)).isEqualTo("2026-11-25T10:00:00.123456789Z");
        assertThat(UnixNanos.iso(1_000_000_000L)).isEqualTo("1970-01-01T00:00:01Z");
    }

    @Test
    void should_write_what_instant_writes_for_any_time_and_around_every_new_year() {
        Random random = new Random(42);
        UnixNanos shared = new UnixNanos();
        for (int i = 0; i < 200_000; i++) {
            long nanos = random.nextLong();
            switch (i % 4) {
                case 1 -> nanos -= Long.remainderUnsigned(nanos, 1_000_000_000L);
                case 2 -> nanos -= Long.remainderUnsigned(nanos, 1_000_000L);
                case 3 -> nanos -= Long.remainderUnsigned(nanos, 1_000L);
                default -> { }
            }
            assertThat(UnixNanos.iso(nanos)).isEqualTo(instant(nanos));
            // one instance, as a request's records use it: the same second again, and the next
            for (long next : new long[] {nanos, nanos + random.nextInt(1000), nanos + 1_000_000_000L}) {
                assertThat(shared.text(next)).isEqualTo(instant(next));
            }
        }
        for (int year = 1970; year <= 2554; year++) {
            long newYear = Instant.parse(year + "-01-01T00:00:00Z").getEpochSecond() * 1_000_000_000L;
            for (long nanos : new long[] {newYear - 1, newYear, newYear + 1, newYear + 86_400_000_000_000L * 59,
                    newYear + 86_400_000_000_000L * 60 - 1_000_000}) {
                if (Long.compareUnsigned(nanos, 0) > 0) {
                    assertThat(UnixNanos.iso(nanos)).isEqualTo(instant(nanos));
                }
            }
        }
    }
}
