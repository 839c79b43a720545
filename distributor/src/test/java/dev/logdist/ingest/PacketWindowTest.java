package dev.logdist.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PacketWindowTest {

    @Test
    void should_recognise_ids_it_was_told_to_remember() {
        PacketWindow window = new PacketWindow(600, 10);
        assertThat(window.contains("a")).isFalse();
        window.remember("a");
        assertThat(window.contains("a")).isTrue();
        assertThat(window.contains(null)).isFalse();
    }

    @Test
    void should_keep_at_most_max_ids_dropping_the_oldest() {
        PacketWindow window = new PacketWindow(600, 3);
        for (String id : new String[] {"a", "b", "c", "d"}) {
            window.remember(id);
        }
        assertThat(window.contains("a")).isFalse();
        assertThat(window.contains("b")).isTrue();
        assertThat(window.contains("d")).isTrue();
    }

    @Test
    void should_remember_nothing_with_a_zero_window() {
        PacketWindow window = new PacketWindow(0, 3);
        window.remember("a");
        assertThat(window.contains("a")).isFalse();
    }
}
