package dev.logdist.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logdist.ingest.PacketWindow.Claim;
import org.junit.jupiter.api.Test;

class PacketWindowTest {

    @Test
    void should_acknowledge_a_packet_again_once_it_was_accepted() {
        PacketWindow window = new PacketWindow(600, 10);
        assertThat(window.claim("agent", "a")).isEqualTo(Claim.NEW);
        window.accepted("agent", "a");
        assertThat(window.claim("agent", "a")).isEqualTo(Claim.ACCEPTED);
        assertThat(window.claim("agent", null)).isEqualTo(Claim.NEW);
    }

    @Test
    void should_not_confuse_two_agents_that_number_their_packets_alike() {
        PacketWindow window = new PacketWindow(600, 10);
        assertThat(window.claim("agent-1", "1")).isEqualTo(Claim.NEW);
        window.accepted("agent-1", "1");
        assertThat(window.claim("agent-2", "1")).isEqualTo(Claim.NEW);
        window.accepted("agent-2", "1");
        assertThat(window.claim("agent-1", "1")).isEqualTo(Claim.ACCEPTED);
        assertThat(window.claim("agent-2", "1")).isEqualTo(Claim.ACCEPTED);
    }

    @Test
    void should_tell_an_overlapping_resend_to_retry_and_take_it_afresh_once_the_original_was_refused() {
        PacketWindow window = new PacketWindow(600, 10);
        assertThat(window.claim("agent", "p")).isEqualTo(Claim.NEW);
        assertThat(window.claim("agent", "p")).as("while the original is being taken").isEqualTo(Claim.IN_FLIGHT);
        window.release("agent", "p");
        assertThat(window.claim("agent", "p")).as("after the original was refused").isEqualTo(Claim.NEW);
        window.accepted("agent", "p");
        window.release("agent", "p");
        assertThat(window.claim("agent", "p")).as("a release does not undo an accepted packet").isEqualTo(Claim.ACCEPTED);
    }

    @Test
    void should_keep_at_most_max_ids_dropping_the_oldest() {
        PacketWindow window = new PacketWindow(600, 3);
        for (String id : new String[] {"a", "b", "c", "d"}) {
            window.claim("agent", id);
            window.accepted("agent", id);
        }
        assertThat(window.claim("agent", "b")).isEqualTo(Claim.ACCEPTED);
        assertThat(window.claim("agent", "d")).isEqualTo(Claim.ACCEPTED);
        assertThat(window.claim("agent", "a")).isEqualTo(Claim.NEW);
    }

    @Test
    void should_remember_nothing_with_a_zero_window() {
        PacketWindow window = new PacketWindow(0, 3);
        window.claim("agent", "a");
        window.accepted("agent", "a");
        assertThat(window.claim("agent", "a")).isEqualTo(Claim.NEW);
    }
}
