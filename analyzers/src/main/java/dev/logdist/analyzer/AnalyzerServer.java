package dev.logdist.analyzer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.impl.ConnectionBase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A log analyzer over HTTP: {@code POST /logs} counts distinct packets and their messages, {@code GET /stats}
 * reports the counts, {@code POST /admin/fail} makes it fail, refuse, stall or answer oddly for demos and tests.
 * A packet counts only once it is in the journal, and is answered only once it counts.
 */
final class AnalyzerServer {

    private static final Logger LOG = LoggerFactory.getLogger(AnalyzerServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final long MAX_BODY_BYTES = 64L << 20;

    private final String name;
    private final PacketLedger ledger;
    private final PacketScanner scanner = new PacketScanner();
    private final AtomicReference<Misbehaviour> misbehaviour = new AtomicReference<>(Misbehaviour.NONE);
    private final LongAdder requests = new LongAdder();
    private final LongAdder failedRequests = new LongAdder();
    private final Vertx vertx;
    private Duration idleTimeout = Duration.ofSeconds(120);
    private HttpServer server;
    private Journal journal;

    AnalyzerServer(Vertx vertx, String name, int dedupeCapacity) {
        this.vertx = vertx;
        this.name = name;
        this.ledger = new PacketLedger(dedupeCapacity);
    }

    /** Keeps counts and seen packet ids in {@code dir} across restarts, starting from what it holds. */
    void persistIn(java.nio.file.Path dir) throws IOException {
        journal = Journal.open(dir, ledger);
    }

    /** How long a connection may sit without a byte either way before the server closes it; call before listening. */
    void idleTimeout(Duration timeout) {
        idleTimeout = timeout;
    }

    Future<HttpServer> listen(String host, int port) {
        // gzip bodies are taken too (Content-Encoding: gzip), as a proxy in front passes an agent's compressed packet on
        server = vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true).setDecompressionSupported(true)
                .setIdleTimeout((int) idleTimeout.toMillis()).setIdleTimeoutUnit(TimeUnit.MILLISECONDS));
        return server.requestHandler(this::route).listen(port, host);
    }

    /** Stops listening, then closes the journal. */
    Future<Void> close() {
        Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
        return closed.andThen(done -> {
            try {
                if (journal != null) {
                    journal.close();
                }
            } catch (IOException e) {
                LOG.warn("journal of {} not closed: {}", name, e.toString());
            }
        });
    }

    private void route(HttpServerRequest req) {
        String path = req.path();
        HttpMethod method = req.method();
        if (path.equals("/logs") && method == HttpMethod.POST) {
            withBody(req, body -> logs(req, body));
        } else if (path.equals("/stats") && method == HttpMethod.GET) {
            reply(req, 200, stats());
        } else if (path.equals("/admin/fail") && method == HttpMethod.POST) {
            withBody(req, body -> fail(req, body));
        } else if (path.equals("/admin/reset") && method == HttpMethod.POST) {
            try {
                ledger.reset();
                reply(req, 200, stats());
            } catch (IOException e) {
                reply(req, 500, Map.of("error", "journal not emptied: " + e.getMessage()));
            }
        } else if (path.equals("/logs") || path.equals("/stats") || path.startsWith("/admin/")) {
            reply(req, 405, Map.of("error", method + " is not allowed on " + path));
        } else {
            reply(req, 404, Map.of("error", "no such endpoint: " + path));
        }
    }

    private void withBody(HttpServerRequest req, java.util.function.Consumer<Buffer> handler) {
        String length = req.getHeader("Content-Length");
        if (length != null && length.length() < 19 && Long.parseLong(length.trim()) > MAX_BODY_BYTES) {
            reply(req, 413, Map.of("error", "body larger than " + MAX_BODY_BYTES + " bytes"));
            return;
        }
        req.body().onSuccess(handler::accept).onFailure(e -> LOG.debug("request body not read: {}", e.toString()));
    }

    private void logs(HttpServerRequest req, Buffer body) {
        requests.increment();
        Misbehaviour now = misbehaviour.get();
        switch (now.mode()) {
            case ERROR -> {
                failedRequests.increment();
                reply(req, 500, Map.of("error", "analyzer " + name + " is in error mode"));
            }
            case REJECT -> {
                if (now.targeted()) {
                    count(req, body, now);
                } else {
                    failedRequests.increment();
                    reply(req, 400, Map.of("error", "analyzer " + name + " is in reject mode"));
                }
            }
            case SLOW -> vertx.setTimer(Math.max(1, now.delayMs()), id -> count(req, body, now));
            case HANG -> {
                // the body is read and the connection stays open: the client learns nothing until it gives up
                failedRequests.increment();
                holdOpen(req);
            }
            case STATUS -> answerStatus(req, now);
            default -> count(req, body, now);
        }
    }

    private void count(HttpServerRequest req, Buffer body, Misbehaviour now) {
        List<PacketScanner.Seen> packets;
        try {
            packets = scanner.scan(body.getBytes());
        } catch (IOException e) {
            failedRequests.increment();
            reply(req, 400, Map.of("error", "not a packet: " + e.getMessage()));
            return;
        }
        if (now.mode() == Misbehaviour.Mode.REJECT) {
            PacketScanner.Seen refused = now.target(packets);
            if (refused != null) {
                failedRequests.increment();
                reply(req, 400, Map.of("error", "analyzer " + name + " rejects packet " + refused.packetId() + " of agent "
                        + refused.agentId() + " (reject mode)"));
                return;
            }
        }
        int fresh;
        try {
            fresh = ledger.record(packets);
        } catch (IOException e) {
            failedRequests.increment();
            reply(req, 500, Map.of("error", "journal write failed: " + e.getMessage()));
            return;
        }
        String answer = "{\"packets\":" + packets.size() + ",\"new\":" + fresh + "}";
        HttpServerResponse response = req.response().setStatusCode(200).putHeader("Content-Type", "application/json");
        if (now.mode() == Misbehaviour.Mode.TRICKLE) {
            // counted and journaled already, as by an analyzer that took the data and is slow to say so
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            holdOpen(req);
            response.putHeader("Content-Length", String.valueOf(bytes.length)).writeHead();
            trickle(response, bytes, 0, now.delayMs());
        } else {
            response.end(answer);
        }
    }

    /** Writes byte {@code at} of {@code body} {@code ms} after the one before it, and ends the answer with the last. */
    private void trickle(HttpServerResponse response, byte[] body, int at, long ms) {
        vertx.setTimer(ms, id -> {
            if (response.closed()) {
                return;
            }
            Buffer one = Buffer.buffer(new byte[] {body[at]});
            if (at == body.length - 1) {
                response.end(one);
            } else {
                response.write(one);
                trickle(response, body, at + 1, ms);
            }
        });
    }

    private void answerStatus(HttpServerRequest req, Misbehaviour now) {
        failedRequests.increment();
        if (now.delayMs() <= 0) {
            replyStatus(req, now.status());
            return;
        }
        holdOpen(req);
        vertx.setTimer(now.delayMs(), id -> {
            if (!req.response().closed()) {
                replyStatus(req, now.status());
            }
        });
    }

    private void replyStatus(HttpServerRequest req, int status) {
        if (status == 304) {
            // a 304 has no body by definition
            req.response().setStatusCode(status).end();
        } else {
            reply(req, status, Map.of("error", "analyzer " + name + " answers " + status + " (status mode)"));
        }
    }

    /**
     * Takes the server's idle timeout off this request's connection, for the rest of its life: a hung or slow answer
     * must stay open for as long as the client waits, as a stalled process's socket does, not be closed by us.
     */
    private static void holdOpen(HttpServerRequest req) {
        // Vert.x has no public way to change one connection's idle timeout: remove its handler from the pipeline
        if (req.connection() instanceof ConnectionBase connection) {
            try {
                connection.channel().pipeline().remove("idle");
            } catch (NoSuchElementException alreadyGone) {
                // no idle timeout on this connection (any more)
            }
        }
    }

    private void fail(HttpServerRequest req, Buffer body) {
        JsonNode cmd;
        try {
            cmd = JSON.readTree(body.getBytes());
        } catch (IOException e) {
            reply(req, 400, Map.of("error", "body must be JSON like {\"mode\": \"error\"}"));
            return;
        }
        Misbehaviour next;
        try {
            next = command(cmd);
        } catch (IllegalArgumentException e) {
            reply(req, 400, Map.of("error", e.getMessage()));
            return;
        }
        misbehaviour.set(next);
        Map<String, Object> now = new LinkedHashMap<>();
        now.put("mode", next.mode().name().toLowerCase(Locale.ROOT));
        now.put("ms", next.delayMs());
        if (next.mode() == Misbehaviour.Mode.STATUS) {
            now.put("status", next.status());
        }
        if (next.agentId() != null) {
            now.put("agentId", next.agentId());
        }
        if (next.packetId() != null) {
            now.put("packetId", next.packetId());
        }
        LOG.info("analyzer {} now in mode {}", name, now);
        reply(req, 200, now);
    }

    /** The misbehaviour {@code cmd} asks for; an {@link IllegalArgumentException} naming the field when it is wrong. */
    private static Misbehaviour command(JsonNode cmd) {
        String mode = cmd == null || !cmd.hasNonNull("mode") ? "" : cmd.get("mode").asText().toUpperCase(Locale.ROOT);
        boolean hasMs = cmd != null && cmd.hasNonNull("ms");
        long ms = hasMs ? cmd.get("ms").asLong() : 500;
        String agentId = id(cmd, "agentId");
        String packetId = id(cmd, "packetId");
        if ((agentId != null || packetId != null) && !mode.equals("REJECT")) {
            throw new IllegalArgumentException("agentId and packetId apply only to mode reject");
        }
        return switch (mode) {
            case "OK" -> Misbehaviour.NONE;
            case "ERROR" -> new Misbehaviour(Misbehaviour.Mode.ERROR, 0);
            case "SLOW" -> new Misbehaviour(Misbehaviour.Mode.SLOW, Math.min(Math.max(ms, 1), 600_000));
            case "REJECT" -> new Misbehaviour(Misbehaviour.Mode.REJECT, 0, 0, agentId, packetId);
            case "TRICKLE" -> new Misbehaviour(Misbehaviour.Mode.TRICKLE, Math.min(Math.max(ms, 1), 600_000));
            case "HANG" -> new Misbehaviour(Misbehaviour.Mode.HANG, 0);
            case "STATUS" -> new Misbehaviour(Misbehaviour.Mode.STATUS, hasMs ? Math.min(Math.max(ms, 0), 600_000) : 0,
                    status(cmd), null, null);
            default -> throw new IllegalArgumentException("mode must be error, slow, reject, trickle, hang, status or ok");
        };
    }

    private static String id(JsonNode cmd, String field) {
        if (cmd == null || !cmd.hasNonNull(field)) {
            return null;
        }
        JsonNode v = cmd.get(field);
        if (!v.isTextual() || v.asText().isEmpty()) {
            throw new IllegalArgumentException(field + " must be a non-empty string");
        }
        return v.asText();
    }

    private static int status(JsonNode cmd) {
        JsonNode v = cmd.get("status");
        if (v == null || !v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 300 || v.asInt() > 599) {
            throw new IllegalArgumentException("status must be a whole number from 300 to 599");
        }
        return v.asInt();
    }

    Map<String, Object> stats() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", name);
        PacketLedger.Counts counts = ledger.counts();
        s.put("messages", counts.messages());
        s.put("packets", counts.packets());
        s.put("duplicatePackets", counts.duplicates());
        s.put("requests", requests.sum());
        s.put("failedRequests", failedRequests.sum());
        s.put("mode", misbehaviour.get().mode().name().toLowerCase(Locale.ROOT));
        return s;
    }

    private static void reply(HttpServerRequest req, int status, Object body) {
        try {
            req.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                    .end(Buffer.buffer(JSON.writeValueAsBytes(body)));
        } catch (IOException e) {
            req.response().setStatusCode(500).end();
        }
    }
}
