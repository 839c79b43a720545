package dev.logdist.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class RequestGateTest {

    private final RequestGate gate = new RequestGate(1024);
    private final byte[] body = "{}".getBytes(StandardCharsets.UTF_8);

    private int status(String method, String type, String encoding, byte[] content) {
        return catchThrowableOfType(PacketRejectedException.class, () -> gate.open(method, type, encoding, content)).status();
    }

    static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    @Test
    void should_accept_json_in_its_usual_spellings() {
        assertThat(gate.open("POST", "application/json", null, body)).isEqualTo(body);
        assertThat(gate.open("POST", "Application/JSON; charset=utf-8", "identity", body)).isEqualTo(body);
        assertThat(gate.open("POST", "application/vnd.logs+json", null, body)).isEqualTo(body);
    }

    @Test
    void should_answer_405_415_and_413() {
        assertThat(status("GET", "application/json", null, body)).isEqualTo(405);
        assertThat(status("POST", null, null, body)).isEqualTo(415);
        assertThat(status("POST", "text/plain", null, body)).isEqualTo(415);
        assertThat(status("POST", "application/x-www-form-urlencoded", null, body)).isEqualTo(415);
        assertThat(status("POST", "application/json", "br", body)).isEqualTo(415);
        assertThat(status("POST", "application/json", null, new byte[1025])).isEqualTo(413);
    }

    @Test
    void should_inflate_gzip_within_the_limit() throws Exception {
        byte[] json = "{\"agentId\":\"a\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(gate.open("POST", "application/json", "gzip", gzip(json))).isEqualTo(json);
    }

    @Test
    void should_refuse_a_gzip_bomb_and_corrupt_gzip() throws Exception {
        RequestGate roomier = new RequestGate(4096);
        byte[] bomb = gzip(new byte[1 << 20]);
        assertThat(bomb.length).isLessThan(4096);
        assertThat(catchThrowableOfType(PacketRejectedException.class,
                () -> roomier.open("POST", "application/json", "gzip", bomb)).status()).isEqualTo(413);
        assertThat(status("POST", "application/json", "gzip", body)).isEqualTo(400);
        byte[] truncated = java.util.Arrays.copyOf(gzip(new byte[100]), 15);
        assertThat(status("POST", "application/json", "gzip", truncated)).isEqualTo(400);
    }
}
