package dev.logdist.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.logdist.balancer.MessageLedger;
import dev.logdist.balancer.WeightTable;
import dev.logdist.http.JsonErrors;
import java.io.IOException;
import dev.logdist.validation.Violation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes an analyzer's weight at run time ({@code PUT /analyzers/{name}/weight} or the JMX operation): validates
 * it, publishes a new weight table, and the balancer counts afresh under it from the next chunk on.
 */
public final class WeightChanges implements WeightChangesMBean {

    private static final Logger LOG = LoggerFactory.getLogger(WeightChanges.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MessageLedger ledger;

    public WeightChanges(MessageLedger ledger) {
        this.ledger = ledger;
    }

    /** Sets the weight; an {@link IllegalArgumentException} names what is wrong. Returns the new target share. */
    @Override
    public synchronized double setWeight(String name, double weight) {
        WeightTable table = ledger.table();
        int index = table.names().indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("no analyzer named '" + name + "'");
        }
        if (!(weight > 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("weight must be a number > 0, got " + weight);
        }
        WeightTable next = ledger.changeWeight(index, weight);
        LOG.warn("weight of analyzer {} changed from {} to {}: target share {} -> {}", name, table.weights()[index], weight,
                String.format("%.4f", table.share(index)), String.format("%.4f", next.share(index)));
        return next.share(index);
    }

    @Override
    public String getWeights() {
        WeightTable table = ledger.table();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < table.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(table.names().get(i)).append('@').append(table.weights()[i]);
        }
        return b.toString();
    }

    /** {@code PUT /analyzers/{name}/weight} with {@code {"weight": 0.25}}; its token was checked by the HTTP guards. */
    public void put(Exchange exchange) {
        String name = exchange.getMessage().getHeader("name", String.class);
        byte[] body = exchange.getMessage().getBody(byte[].class);
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            JsonErrors.answer(exchange, 415, "Content-Type must be application/json", List.of());
            return;
        }
        double weight;
        try {
            JsonNode node = JSON.readTree(body == null ? new byte[0] : body);
            if (node == null || !node.has("weight") || !node.get("weight").isNumber()) {
                error(exchange, 400, "the body must be {\"weight\": <number > 0>}", "weight", "must be a number > 0");
                return;
            }
            weight = node.get("weight").asDouble();
        } catch (IOException e) {
            error(exchange, 400, "the body is not valid JSON", "$", "expected {\"weight\": 0.25}");
            return;
        }
        if (ledger.table().names().indexOf(name) < 0) {
            JsonErrors.answer(exchange, 404, "no analyzer named '" + name + "'", List.of());
            return;
        }
        try {
            double share = setWeight(name, weight);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("name", name);
            answer.put("weight", weight);
            answer.put("targetShare", share);
            JsonErrors.answerJson(exchange, 200, JsonErrors.json(answer));
        } catch (IllegalArgumentException e) {
            error(exchange, 400, e.getMessage(), "weight", e.getMessage());
        }
    }

    private static void error(Exchange exchange, int status, String error, String path, String problem) {
        JsonErrors.answer(exchange, status, error, List.of(new Violation(path, problem)));
    }
}
