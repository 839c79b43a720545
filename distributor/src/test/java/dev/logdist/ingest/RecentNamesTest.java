package dev.logdist.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RecentNamesTest {

    @Test
    void should_give_the_kept_name_for_the_same_bytes() {
        byte[] b = "xx\"service.name\"".getBytes(StandardCharsets.US_ASCII);
        String first = RecentNames.of(b, 3, 15);
        assertThat(first).isEqualTo("service.name");
        assertThat(RecentNames.of(b.clone(), 3, 15)).isSameAs(first);
    }

    @Test
    void should_give_each_name_its_own_text_whatever_it_replaced() {
        // far more names than slots: every lookup must still give its own bytes, never a neighbour's
        for (int round = 0; round < 2; round++) {
            for (int n = 0; n < 5_000; n++) {
                String name = "field." + n;
                byte[] b = name.getBytes(StandardCharsets.US_ASCII);
                assertThat(RecentNames.of(b, 0, b.length)).isEqualTo(name);
            }
        }
    }

    @Test
    void should_not_keep_long_names() {
        byte[] b = "a.name.longer.than.anything.kept.here".getBytes(StandardCharsets.US_ASCII);
        String first = RecentNames.of(b, 0, b.length);
        assertThat(first).isEqualTo("a.name.longer.than.anything.kept.here");
        assertThat(RecentNames.of(b, 0, b.length)).isEqualTo(first).isNotSameAs(first);
    }
}
