package dev.logdist.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.logdist.validation.Violation;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The one shape of every error answer, whether a route or the HTTP server gives it:
 * {@code {"error": "...", "violations": [{"path": "...", "problem": "..."}]}} (violations only when there are any),
 * as JSON with its status code; never a stack trace, never a request header echoed.
 */
public final class JsonErrors {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonErrors() {
    }

    /** The error body. */
    public static String body(String error, List<Violation> violations) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        if (!violations.isEmpty()) {
            body.put("violations", violations);
        }
        return json(body);
    }

    /** Answers a route's exchange with the error. */
    public static void answer(Exchange exchange, int status, String error, List<Violation> violations) {
        answerJson(exchange, status, body(error, violations));
    }

    /**
     * Answers a request the HTTP server handles itself with the error; after a head already written, only ends it.
     * Completes once the answer is written.
     */
    public static Future<Void> answer(RoutingContext ctx, int status, String error, List<Violation> violations) {
        return answer(ctx.response(), status, error, violations);
    }

    static Future<Void> answer(HttpServerResponse response, int status, String error, List<Violation> violations) {
        if (response.headWritten()) {
            return response.end();
        }
        return response.setStatusCode(status).putHeader("Content-Type", "application/json").end(body(error, violations));
    }

    /**
     * Sets status, JSON content type and body on the exchange; every other header goes, so no request header is
     * echoed. The body goes out as a String: platform-http writes a String in one call, while a byte[] would be turned
     * into an InputStream and pumped, which cost a fifth of the ingest CPU (bench/profiles.md).
     */
    public static void answerJson(Exchange exchange, int status, String json) {
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        out.setBody(json);
    }

    /** Any value as JSON (the API's answers are maps, lists and records). */
    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an answer as JSON", e);
        }
    }
}
