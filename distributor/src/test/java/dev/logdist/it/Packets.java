package dev.logdist.it;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Realistic packets for the end-to-end tests. */
final class Packets {

    private static final String[] LEVELS = {"TRACE", "debug", "INFO", "Warn", "ERROR", "fatal"};
    private static final String[] SERVICES = {"checkout", "payments", "inventory", "auth", "search"};

    private Packets() {
    }

    static byte[] packet(Random random, String agent, String packetId, int messages) {
        StringBuilder b = new StringBuilder(160 * messages + 64).append("{\"agentId\":\"").append(agent).append('"');
        if (packetId != null) {
            b.append(",\"packetId\":\"").append(packetId).append('"');
        }
        b.append(",\"messages\":[");
        for (int i = 0; i < messages; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append("{\"timestamp\":\"2026-11-25T10:00:").append(String.format("%02d", i % 60)).append(".123Z\"")
                    .append(",\"level\":\"").append(LEVELS[random.nextInt(LEVELS.length)]).append('"')
                    .append(",\"source\":\"web-").append(random.nextInt(9)).append('"')
                    .append(",\"service\":\"").append(SERVICES[random.nextInt(SERVICES.length)]).append('"')
                    .append(",\"message\":\"request ").append(random.nextInt(1_000_000)).append(" took ")
                    .append(random.nextInt(5000)).append(" ms \\\"quoted\\\" ünïcødé\"");
            if (random.nextBoolean()) {
                b.append(",\"attributes\":{\"traceId\":\"").append(Long.toHexString(random.nextLong())).append("\"}");
            }
            b.append('}');
        }
        return b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
