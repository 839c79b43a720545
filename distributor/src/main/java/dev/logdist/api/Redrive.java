package dev.logdist.api;

import dev.logdist.buffer.Buffer;
import dev.logdist.delivery.RejectedParking;
import dev.logdist.http.JsonErrors;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /analyzers/{name}/redrive}, once the cause of a refusal is fixed: hands every chunk parked for the
 * analyzer back to the buffer (its spool, or its Kafka topic), which delivers it like any other, and deletes the parked
 * files of each chunk once the buffer has it. It stops early, and says so, when the buffer has no room.
 */
public final class Redrive {

    private static final Logger LOG = LoggerFactory.getLogger(Redrive.class);

    private final List<String> names;
    private final RejectedParking parking;
    private final Buffer buffer;

    public Redrive(List<String> names, RejectedParking parking, Buffer buffer) {
        this.names = List.copyOf(names);
        this.parking = parking;
        this.buffer = buffer;
    }

    /** The route's step; its token was checked by the HTTP guards, as for every call that changes something. */
    public void post(Exchange exchange) {
        String name = exchange.getMessage().getHeader("name", String.class);
        int analyzer = names.indexOf(name);
        if (analyzer < 0) {
            JsonErrors.answer(exchange, 404, "no analyzer named '" + name + "'", List.of());
            return;
        }
        Map<String, Object> answer = redrive(analyzer);
        JsonErrors.answerJson(exchange, 200, JsonErrors.json(answer));
    }

    /** One redrive at a time: two at once would hand the same chunks over twice. */
    synchronized Map<String, Object> redrive(int analyzer) {
        String name = names.get(analyzer);
        long redriven = 0;
        String stopped = null;
        try {
            for (RejectedParking.Parked parked : parking.parked(name)) {
                if (!buffer.hasRoom()) {
                    stopped = "the buffer has no room";
                    break;
                }
                buffer.keep(analyzer, parked.chunk());
                parking.remove(name, parked);
                redriven++;
            }
        } catch (IOException | RuntimeException e) {
            stopped = e.toString();
        }
        LOG.warn("redrive of analyzer {}: {} parked chunks handed back for delivery{}", name, redriven,
                stopped == null ? "" : "; stopped: " + stopped);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("name", name);
        answer.put("redriven", redriven);
        answer.put("parked", parking.count(name));
        if (stopped != null) {
            answer.put("stopped", stopped);
        }
        return answer;
    }
}
