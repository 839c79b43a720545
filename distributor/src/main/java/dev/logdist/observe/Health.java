package dev.logdist.observe;

import dev.logdist.routes.HttpAnswers;
import dev.logdist.spool.Spools;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.camel.Exchange;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;

/**
 * {@code GET /health}: 200 when the distributor can accept packets (Camel's readiness checks pass, the spool has
 * room and, with the Kafka buffer, Kafka answered within the last few seconds), else 503 with what is wrong.
 */
public final class Health {

    private final Spools spools;
    private final BooleanSupplier kafkaAnswers;

    /** {@code kafkaAnswers}: whether the Kafka buffer's broker answers (always true with the spool buffer). */
    public Health(Spools spools, BooleanSupplier kafkaAnswers) {
        this.spools = spools;
        this.kafkaAnswers = kafkaAnswers;
    }

    public void check(Exchange exchange) {
        List<Map<String, Object>> problems = new ArrayList<>();
        for (HealthCheck.Result r : HealthCheckHelper.invokeReadiness(exchange.getContext())) {
            if (r.getState() != HealthCheck.State.UP) {
                problems.add(Map.of("check", r.getCheck().getId(), "state", r.getState().name(),
                        "message", r.getMessage().orElse("")));
            }
        }
        if (!spools.hasRoom()) {
            problems.add(Map.of("check", "spool", "state", "DOWN", "message", "spool full or disk nearly full"));
        }
        if (!kafkaAnswers.getAsBoolean()) {
            problems.add(Map.of("check", "kafka", "state", "DOWN", "message", "Kafka has not answered for a few seconds"));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", problems.isEmpty() ? "UP" : "DOWN");
        if (!problems.isEmpty()) {
            body.put("problems", problems);
        }
        HttpAnswers.answer(exchange, problems.isEmpty() ? 200 : 503, body);
    }
}
