package dev.logdist.benchmarks;

import java.nio.charset.StandardCharsets;

/** The packets the benchmarks validate: the shape bench/run.sh's {@code packet()} writes, with or without attributes. */
final class Packets {

    private Packets() {
    }

    /** A packet of {@code messages} messages, as bench/run.sh posts it; with {@code attributes}, three per message. */
    static byte[] typical(int messages, boolean attributes) {
        StringBuilder b = new StringBuilder(messages * 200 + 40).append("{\"agentId\":\"bench\",\"messages\":[");
        for (int i = 0; i < messages; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(String.format("{\"timestamp\":\"2026-11-25T12:00:%02d.%03dZ\",\"level\":\"INFO\",\"source\":\"node-%d\","
                    + "\"service\":\"checkout\",\"message\":\"GET /api/cart/%d served status=200 duration_ms=%d user=u-%d\"",
                    i % 60, i % 1000, i % 4, i, i % 97, i * 7));
            if (attributes) {
                b.append(String.format(",\"attributes\":{\"region\":\"eu-west-1\",\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e%04d\","
                        + "\"http.method\":\"GET\"}", i % 10000));
            }
            b.append('}');
        }
        return b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
