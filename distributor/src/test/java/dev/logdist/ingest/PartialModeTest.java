package dev.logdist.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logdist.validation.PacketRejectedException;
import org.junit.jupiter.api.Test;

class PartialModeTest {

    @Test
    void should_follow_the_query_else_the_default() {
        assertThat(PartialMode.of(null, false)).isFalse();
        assertThat(PartialMode.of("", true)).isTrue();
        assertThat(PartialMode.of("partial=true", false)).isTrue();
        assertThat(PartialMode.of("x=1&partial=false", true)).isFalse();
        assertThat(PartialMode.of("partial", false)).isTrue();
        assertThat(PartialMode.of("partiality=false", true)).isTrue();
    }

    @Test
    void should_answer_400_for_a_value_that_is_not_a_boolean() {
        assertThatThrownBy(() -> PartialMode.of("partial=maybe", false)).isInstanceOf(PacketRejectedException.class)
                .hasMessageContaining("true or false")
                .satisfies(e -> assertThat(((PacketRejectedException) e).violations().get(0).path()).isEqualTo("partial"));
        assertThatThrownBy(() -> PartialMode.of("partial=true&partial=false", false))
                .isInstanceOf(PacketRejectedException.class);
    }
}
