package dev.logdist.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.logdist.config.DistributorConfig.Limits;
import dev.logdist.model.LogPacket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The scanner against Jackson over random packets, valid and not: whenever the scanner answers, Jackson accepts the
 * packet and reads the identical {@link LogPacket}; the scanner answers for most valid packets; and
 * {@link PacketParser#parse} (scanner first) gives what Jackson alone gives, acceptance or refusal word for word.
 */
class PlainPacketScannerEquivalenceTest {

    /** Per set of limits; {@code -Dplain-scanner.packets=200000 -Dplain-scanner.seed=7} for a longer look. */
    private static final int PACKETS = Integer.getInteger("plain-scanner.packets", 10_000);
    private static final long SEED = Long.getLong("plain-scanner.seed", 0);

    @ParameterizedTest(name = "max {1} messages of {2} chars, {3} attributes, depth {4}, strings {5}")
    @CsvSource({
        // seed, messages, message chars, attributes, JSON depth, JSON string chars, one in `rare` choices goes wrong
        "1, 5, 20, 3, 8, 200, 60",
        "2, 5, 20, 3, 4, 24, 60",
        "3, 10000, 65536, 64, 32, 131072, 60",
        "4, 3, 300, 2, 32, 400, 50",
    })
    void should_answer_only_what_jackson_accepts_and_the_same_packet(long seed, int messages, int messageChars,
            int attributes, int depth, int stringChars, int rare) {
        Limits limits = new Limits(1 << 20, messages, messageChars, attributes, 5);
        PacketParser parser = new PacketParser(limits, new JsonGuard(depth, stringChars));
        PlainPacketScanner scanner = new PlainPacketScanner(limits, depth, stringChars);
        RandomPackets packets = new RandomPackets(SEED * 1_000 + seed, messages, messageChars, attributes, stringChars, rare);
        int valid = 0;
        int scanned = 0;
        int refused = 0;
        for (int n = 0; n < PACKETS; n++) {
            byte[] raw = packets.next();
            String shown = shown(raw);
            byte[] body;
            try {
                body = JsonGuard.utf8(raw);
            } catch (PacketRejectedException e) {
                continue;
            }
            LogPacket fast = scanner.scan(body);
            Object jackson = outcome(() -> parser.jackson(body, false).packet());
            if (jackson instanceof LogPacket slow) {
                valid++;
                if (fast != null) {
                    scanned++;
                    assertSame(fast, slow, shown);
                    PacketParser.Parsed each = parser.jackson(body, true);
                    assertSame(fast, each.packet(), shown);
                    assertThat(each.refused()).isEmpty();
                }
            } else {
                refused++;
                if (fast != null) {
                    fail("the scanner accepted what Jackson refuses (%s): %s", jackson, shown);
                }
            }
            // the parser as wired: the same verdict as Jackson alone
            assertThat(describe(outcome(() -> parser.parse(raw)))).as(shown).isEqualTo(describe(jackson));
            assertThat(describe(outcome(() -> parser.parseEach(raw).packet())))
                    .isEqualTo(describe(outcome(() -> parser.jackson(body, true).packet())));
        }
        assertThat(valid).as("valid packets").isGreaterThan(PACKETS / 8);
        assertThat(refused).as("refused packets").isGreaterThan(PACKETS / 10);
        assertThat(scanned).as("valid packets the scanner read itself, of %d", valid).isGreaterThan(valid * 3 / 4);
    }

    private static void assertSame(LogPacket fast, LogPacket slow, String shown) {
        assertThat(fast.agentId()).as(shown).isEqualTo(slow.agentId());
        assertThat(fast.packetId()).as(shown).isEqualTo(slow.packetId());
        assertThat(fast.packetIdField()).as(shown).isEqualTo(slow.packetIdField());
        assertThat(fast.complete()).as(shown).isEqualTo(slow.complete());
        assertThat(fast.messageBounds()).as(shown).containsExactly(slow.messageBounds());
        assertThat(Arrays.equals(fast.json(), slow.json())).as(shown).isTrue();
    }

    /** The packet as a failure shows it: its start, should it be long. */
    private static String shown(byte[] raw) {
        String text = new String(raw, 0, Math.min(raw.length, 3000), StandardCharsets.UTF_8);
        return raw.length > 3000 ? text + "... (" + raw.length + " bytes)" : text;
    }

    /** The packet, or the refusal it ended in. */
    private static Object outcome(java.util.function.Supplier<LogPacket> read) {
        try {
            return read.get();
        } catch (PacketRejectedException e) {
            return e;
        }
    }

    private static String describe(Object outcome) {
        if (outcome instanceof LogPacket p) {
            return "accepted " + p.agentId() + " " + p.packetId() + " " + p.packetIdField() + " " + p.complete() + " "
                    + Arrays.toString(p.messageBounds()) + " " + Arrays.hashCode(p.json());
        }
        PacketRejectedException e = (PacketRejectedException) outcome;
        String refusal = "refused " + e.status() + " " + e.getMessage() + " " + e.violations();
        return refusal.length() > 3000 ? refusal.substring(0, 3000) + "... " + refusal.hashCode() : refusal;
    }
}
