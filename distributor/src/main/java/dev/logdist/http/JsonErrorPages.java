package dev.logdist.http;

import dev.logdist.validation.PacketRejectedException;
import dev.logdist.validation.RequestGate;
import dev.logdist.validation.Violation;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the answers Vert.x gives before a request reaches a route (no such path, wrong method, body over the
 * limit, an internal failure) JSON like every other answer, and never a stack trace.
 */
public final class JsonErrorPages implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(JsonErrorPages.class);

    private final long maxBodyBytes;
    private volatile CamelContext context;
    private volatile boolean ready;

    public JsonErrorPages(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * Puts the answers on the server's router before it listens, so that from its first request on nothing is
     * answered by Vert.x's own pages: 503 until the routes have started.
     */
    void install(VertxPlatformHttpRouter router, CamelContext camel) {
        this.context = camel;
        // routes of our own on the platform's sub-router: Vert.x error handlers set there are not consulted
        router.route().last().handler(ctx -> unmatched(router, ctx));
        router.route().failureHandler(this::failed);
    }

    @Override
    public void onCamelContextStarted(CamelContext camel, boolean alreadyStarted) {
        // the routes are about to start: not ready yet
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext camel, boolean alreadyStarted) {
        ready = true;
    }

    private void unmatched(VertxPlatformHttpRouter router, RoutingContext ctx) {
        if (!ready) {
            ctx.response().putHeader("Retry-After", "1");
            answer(ctx, 503, "the distributor is starting; retry");
            return;
        }
        if (context.isStopping() || context.isStopped()) {
            // its routes are stopping one by one: a path whose route is gone is not unknown, it is unavailable
            ctx.response().putHeader("Retry-After", "1");
            answer(ctx, 503, "the distributor is stopping; retry");
            return;
        }
        String path = ctx.request().path();
        boolean known = router.getRoutes().stream().anyMatch(r -> path.equals(r.getPath()));
        if (known) {
            answer(ctx, 405, "method " + ctx.request().method() + " is not allowed on " + path);
        } else {
            answer(ctx, 404, "no such endpoint: " + path);
        }
    }

    private void failed(RoutingContext ctx) {
        if (ctx.response().ended() || ctx.response().closed() || ctx.failure() instanceof io.vertx.core.http.HttpClosedException) {
            // the client went away mid-request, or RequestGuards answered 408 and closed: nothing to answer, nothing of ours failed
            LOG.debug("{} {}: connection closed before the request was read", ctx.request().method(), ctx.request().path());
            return;
        }
        if (ctx.statusCode() == 413) {
            answer(ctx, 413, "the body is larger than " + maxBodyBytes + " bytes (distributor.max-body-bytes)");
        } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
            // Vert.x could not read the body: e.g. a form content type whose body is no valid form encoding
            String type = ctx.request().getHeader("Content-Type");
            PacketRejectedException e = RequestGate.isJson(type) ? new PacketRejectedException(ctx.statusCode(),
                    "the request could not be read", List.of(new Violation("$", "the body could not be read as sent")))
                    : RequestGate.notJson(type);
            JsonErrors.answer(ctx, e.status(), e.getMessage(), e.violations());
        } else {
            LOG.error("internal error answering {} {}", ctx.request().method(), ctx.request().path(), ctx.failure());
            answer(ctx, 500, "internal error; see the distributor's log");
        }
    }

    private static void answer(RoutingContext ctx, int status, String error) {
        JsonErrors.answer(ctx, status, error, List.of());
    }
}
