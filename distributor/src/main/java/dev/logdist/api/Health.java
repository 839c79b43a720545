package dev.logdist.api;

import dev.logdist.buffer.Buffer;
import dev.logdist.http.JsonErrors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * {@code GET /health}: 200 when the distributor can accept packets, else 503 with what is wrong. It answers from
 * Camel's readiness checks, among them the buffer's own ({@code buffer}: the spool has room; Kafka answered within
 * the last few seconds), so the management server's {@code /observe/health} says the same.
 */
public final class Health {

    /** The buffer's readiness as a Camel health check. */
    public static final class BufferCheck extends AbstractHealthCheck {

        private final Buffer buffer;

        public BufferCheck(Buffer buffer) {
            super("logdist", "buffer");
            this.buffer = buffer;
        }

        @Override
        public boolean isLiveness() {
            return false; // a full spool or an absent Kafka is no reason to restart the process
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            List<String> problems = buffer.problems();
            if (problems.isEmpty()) {
                builder.up();
            } else {
                builder.message(String.join("; ", problems)).down();
            }
        }
    }

    public void check(Exchange exchange) {
        List<Map<String, Object>> problems = new ArrayList<>();
        for (HealthCheck.Result r : HealthCheckHelper.invokeReadiness(exchange.getContext())) {
            if (r.getState() != HealthCheck.State.UP) {
                problems.add(Map.of("check", r.getCheck().getId(), "state", r.getState().name(),
                        "message", r.getMessage().orElse("")));
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", problems.isEmpty() ? "UP" : "DOWN");
        if (!problems.isEmpty()) {
            body.put("problems", problems);
        }
        JsonErrors.answerJson(exchange, problems.isEmpty() ? 200 : 503, JsonErrors.json(body));
    }
}
