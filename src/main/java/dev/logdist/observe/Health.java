package dev.logdist.observe;

import dev.logdist.routes.HttpAnswers;
import dev.logdist.spool.Spools;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;

/**
 * {@code GET /health}: 200 when the distributor can accept packets (Camel's readiness checks pass and the spool has
 * room), else 503 with what is wrong.
 */
public final class Health {

    private final Spools spools;

    public Health(Spools spools) {
        this.spools = spools;
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
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", problems.isEmpty() ? "UP" : "DOWN");
        if (!problems.isEmpty()) {
            body.put("problems", problems);
        }
        HttpAnswers.answer(exchange, problems.isEmpty() ? 200 : 503, body);
    }
}
