package dev.logdist.routes;

import dev.logdist.validation.BearerToken;
import dev.logdist.validation.PacketRejectedException;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks in front of every route, before any body is read: with {@code distributor.auth.protect-reads} every read
 * but {@code GET /health} needs the bearer token; a request whose body has not fully arrived
 * {@code distributor.body-timeout-ms} after its head is answered 408 and its connection closed, so that a client
 * trickling its body cannot keep a request open (it never holds a thread: Vert.x reads bodies without one).
 */
public final class RequestGuards {

    private static final Logger LOG = LoggerFactory.getLogger(RequestGuards.class);

    private final BearerToken token;
    private final boolean protectReads;
    private final long bodyTimeoutMs;

    public RequestGuards(BearerToken token, boolean protectReads, long bodyTimeoutMs) {
        this.token = token;
        this.protectReads = protectReads;
        this.bodyTimeoutMs = bodyTimeoutMs;
    }

    /** Puts the guard first on {@code router}, ahead of the routes' own body handlers. */
    public void install(Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::guard);
    }

    private void guard(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        boolean read = request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD;
        if (protectReads && read && !"/health".equals(ctx.normalizedPath())) {
            try {
                token.check(request.getHeader("Authorization"));
            } catch (PacketRejectedException e) {
                unauthorized(ctx, e);
                return;
            }
        }
        if (!request.isEnded()) {
            long timer = ctx.vertx().setTimer(bodyTimeoutMs, id -> tooSlow(ctx));
            ctx.addEndHandler(v -> ctx.vertx().cancelTimer(timer));
        }
        ctx.next();
    }

    private void tooSlow(RoutingContext ctx) {
        if (ctx.request().isEnded() || ctx.response().ended() || ctx.response().closed()) {
            return; // the body is in: whatever takes time now is ours, not the client's
        }
        LOG.debug("{} {} from {}: body not in after {} ms, answering 408", ctx.request().method(), ctx.request().path(),
                ctx.request().remoteAddress(), bodyTimeoutMs);
        HttpConnection connection = ctx.request().connection();
        ctx.response().setStatusCode(408).putHeader("Content-Type", "application/json").putHeader("Connection", "close")
                .end(new JsonObject().put("error", "the request body did not arrive within " + bodyTimeoutMs
                        + " ms (distributor.body-timeout-ms)").encode())
                .onComplete(done -> connection.close());
    }

    private static void unauthorized(RoutingContext ctx, PacketRejectedException e) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
        JsonErrorPages.answer(ctx, 401, e.getMessage(), e.violations());
    }
}
