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
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A log analyzer over HTTP: {@code POST /logs} counts distinct packets and their messages, {@code GET /stats}
 * reports the counts, {@code POST /admin/fail} makes it fail or slow down for demos and tests.
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

    Future<HttpServer> listen(String host, int port) {
        server = vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true).setIdleTimeout(120));
        return server.requestHandler(this::route).listen(port, host);
    }

    Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
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
            ledger.reset();
            reply(req, 200, stats());
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
                failedRequests.increment();
                reply(req, 400, Map.of("error", "analyzer " + name + " is in reject mode"));
            }
            case SLOW -> vertx.setTimer(Math.max(1, now.delayMs()), id -> count(req, body));
            default -> count(req, body);
        }
    }

    private void count(HttpServerRequest req, Buffer body) {
        List<PacketScanner.Seen> packets;
        try {
            packets = scanner.scan(body.getBytes());
        } catch (IOException e) {
            failedRequests.increment();
            reply(req, 400, Map.of("error", "not a packet: " + e.getMessage()));
            return;
        }
        int fresh = 0;
        StringBuilder lines = journal == null ? null : new StringBuilder();
        for (PacketScanner.Seen p : packets) {
            if (ledger.record(p.packetId(), p.messages())) {
                fresh++;
                if (lines != null && p.packetId() != null) {
                    lines.append(p.messages()).append(' ').append(p.packetId()).append('\n');
                }
            }
        }
        if (lines != null && lines.length() > 0) {
            try {
                journal.append(lines.toString());
            } catch (IOException e) {
                failedRequests.increment();
                reply(req, 500, Map.of("error", "journal write failed: " + e.getMessage()));
                return;
            }
        }
        req.response().setStatusCode(200).putHeader("Content-Type", "application/json")
                .end("{\"packets\":" + packets.size() + ",\"new\":" + fresh + "}");
    }

    private void fail(HttpServerRequest req, Buffer body) {
        try {
            JsonNode cmd = JSON.readTree(body.getBytes());
            String mode = cmd == null || !cmd.hasNonNull("mode") ? "" : cmd.get("mode").asText().toUpperCase(Locale.ROOT);
            long ms = cmd != null && cmd.hasNonNull("ms") ? cmd.get("ms").asLong() : 500;
            Misbehaviour next = switch (mode) {
                case "OK" -> Misbehaviour.NONE;
                case "ERROR" -> new Misbehaviour(Misbehaviour.Mode.ERROR, 0);
                case "SLOW" -> new Misbehaviour(Misbehaviour.Mode.SLOW, Math.min(Math.max(ms, 1), 600_000));
                case "REJECT" -> new Misbehaviour(Misbehaviour.Mode.REJECT, 0);
                default -> null;
            };
            if (next == null) {
                reply(req, 400, Map.of("error", "mode must be error, slow, reject or ok"));
                return;
            }
            misbehaviour.set(next);
            LOG.info("analyzer {} now in mode {}{}", name, next.mode(), next.mode() == Misbehaviour.Mode.SLOW ? " (" + next.delayMs() + " ms)" : "");
            reply(req, 200, Map.of("mode", next.mode().name().toLowerCase(Locale.ROOT), "ms", next.delayMs()));
        } catch (IOException e) {
            reply(req, 400, Map.of("error", "body must be JSON like {\"mode\": \"error\"}"));
        }
    }

    Map<String, Object> stats() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", name);
        s.put("messages", ledger.messages());
        s.put("packets", ledger.packets());
        s.put("duplicatePackets", ledger.duplicates());
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
