package dev.logdist.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.logdist.config.DistributorConfig.Limits;
import dev.logdist.model.LogPacket;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonGuardTest {

    private static final String PACKET = "{\"agentId\":\"a\",\"messages\":[{\"timestamp\":\"2026-11-25T10:00:00Z\","
            + "\"level\":\"INFO\",\"message\":\"hi\"}]}";

    private final PacketParser parser = new PacketParser(new Limits(1 << 20, 5, 100, 2, 5), new JsonGuard(8, 200));

    private PacketRejectedException rejected(byte[] body) {
        PacketRejectedException e = catchThrowableOfType(PacketRejectedException.class, () -> parser.parse(body));
        assertThat(e).isNotNull();
        assertThat(e.status()).isEqualTo(400);
        return e;
    }

    /** Jackson would read these, but the raw body travels on to analyzers that expect UTF-8 (found by HostileInputIT). */
    @ParameterizedTest
    @ValueSource(strings = {"UTF-16", "UTF-16BE", "UTF-16LE", "UTF-32"})
    void should_reject_json_that_is_not_utf8(String charset) {
        PacketRejectedException e = rejected(PACKET.getBytes(Charset.forName(charset)));
        assertThat(e.getMessage()).isEqualTo("the body must be JSON in UTF-8");
        assertThat(e.violations()).singleElement().extracting(Violation::path).isEqualTo("$");
    }

    @Test
    void should_drop_a_utf8_byte_order_mark_so_that_what_is_forwarded_starts_with_the_object() {
        byte[] json = PACKET.getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[json.length + 3];
        withBom[0] = (byte) 0xef;
        withBom[1] = (byte) 0xbb;
        withBom[2] = (byte) 0xbf;
        System.arraycopy(json, 0, withBom, 3, json.length);
        LogPacket packet = parser.parse(withBom);
        assertThat(packet.json()).isEqualTo(json);
    }
}
