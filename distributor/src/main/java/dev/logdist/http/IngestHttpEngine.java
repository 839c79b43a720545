package dev.logdist.http;

import dev.logdist.ingest.IngestProcessor;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * platform-http's Vert.x engine, except for the ingest paths: their routes run on the event loop that read the request,
 * where platform-http would hand every exchange to a worker thread and its answer back, two thread switches per
 * request that cost about a sixth of the ingest CPU (bench/profiles.md). Nothing in that route blocks: an enqueue that
 * would wait continues on a pool of its own ({@link ChunkEnqueuer}). The other routes keep platform-http's consumer.
 */
public final class IngestHttpEngine extends VertxPlatformHttpEngine {

    private final Set<String> ingestPaths;
    private final int maxBodyBytes;

    /**
     * {@code ingestPaths}: the paths whose routes run on the event loop, as their endpoints spell them;
     * {@code maxBodyBytes}: the largest body they read (a larger one is answered 413).
     */
    public IngestHttpEngine(Set<String> ingestPaths, int maxBodyBytes) {
        this.ingestPaths = Set.copyOf(ingestPaths);
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
        if (!ingestPaths.contains(endpoint.getPath())) {
            return super.createConsumer(endpoint, processor);
        }
        endpoint.setUseBodyHandler(false); // the consumer reads the body itself (RequestBody)
        return new EventLoopConsumer(endpoint, processor, getHandlers(),
                VertxPlatformHttpRouter.getRouterNameFromPort(getServerPort()), maxBodyBytes);
    }

    /**
     * Runs the route where the request was read, once its body is in. The exchange gets the body as one array and
     * only the headers the ingest reads; the answer is the status, headers and String body the route leaves on its
     * message.
     */
    static final class EventLoopConsumer extends VertxPlatformHttpConsumer {

        private static final Logger LOG = LoggerFactory.getLogger(EventLoopConsumer.class);
        private static final String[] REQUEST_HEADERS = {Exchange.CONTENT_TYPE, "Content-Encoding", "X-Agent-Id"};

        private final int maxBodyBytes;

        EventLoopConsumer(PlatformHttpEndpoint endpoint, Processor processor, List<Handler<RoutingContext>> handlers,
                          String routerName, int maxBodyBytes) {
            super(endpoint, processor, handlers, routerName);
            this.maxBodyBytes = maxBodyBytes;
        }

        @Override
        protected void handleRequest(RoutingContext ctx) {
            RequestBody.read(ctx.request(), maxBodyBytes, body -> process(ctx, body), () -> ctx.fail(413), ctx::fail);
        }

        private void process(RoutingContext ctx, byte[] body) {
            if (isSuspended()) {
                unavailable(ctx);
                return;
            }
            Exchange exchange = createExchange(false);
            exchange.setPattern(ExchangePattern.InOut);
            Message in = exchange.getIn();
            HttpServerRequest request = ctx.request();
            in.setHeader(Exchange.HTTP_METHOD, request.method().name());
            // the path, for a path parameter such as a bulk request's index
            in.setHeader(Exchange.HTTP_PATH, ctx.normalizedPath());
            for (String name : REQUEST_HEADERS) {
                String value = request.getHeader(name);
                if (value != null) {
                    in.setHeader(name, value);
                }
            }
            if (request.query() != null) {
                in.setHeader(Exchange.HTTP_QUERY, request.query());
            }
            if (request.remoteAddress() != null) {
                exchange.setProperty(IngestProcessor.PEER, request.remoteAddress().hostAddress());
            }
            in.setBody(body);
            try {
                createUoW(exchange);
            } catch (Exception e) {
                LOG.error("could not start the unit of work of a request; answering 503", e);
                releaseExchange(exchange, false);
                unavailable(ctx);
                return;
            }
            getAsyncProcessor().process(exchange, doneSync -> {
                try {
                    answer(ctx, exchange);
                } catch (RuntimeException e) {
                    LOG.error("could not answer exchange {}", exchange.getExchangeId(), e);
                    ctx.response().reset(); // the client sees the connection close and sends the packet again
                } finally {
                    doneUoW(exchange);
                    releaseExchange(exchange, false);
                }
            });
        }

        private static void answer(RoutingContext ctx, Exchange exchange) {
            Message out = exchange.getMessage();
            Integer status = out.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
            if (status == null || exchange.getException() != null) {
                // the route answers every outcome itself (its onException clauses); this is a bug of ours
                LOG.error("exchange {} ended without an answer; answering 503", exchange.getExchangeId(),
                        exchange.getException());
                unavailable(ctx);
                return;
            }
            HttpServerResponse response = ctx.response().setStatusCode(status);
            for (Map.Entry<String, Object> header : out.getHeaders().entrySet()) {
                if (!header.getKey().startsWith("Camel")) {
                    response.putHeader(header.getKey(), String.valueOf(header.getValue()));
                }
            }
            Object body = out.getBody();
            if (body instanceof byte[] bytes) {
                response.end(Buffer.buffer(bytes));
            } else {
                response.end(body == null ? "" : body.toString());
            }
        }

        private static void unavailable(RoutingContext ctx) {
            ctx.response().putHeader("Retry-After", "1");
            JsonErrors.answer(ctx, 503, "the distributor cannot take this packet now; retry later", List.of());
        }
    }
}
