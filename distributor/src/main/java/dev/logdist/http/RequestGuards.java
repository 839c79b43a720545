package dev.logdist.http;

import dev.logdist.validation.Violation;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks in front of every route, before any route reads the body. All authentication is here: with
 * {@code DISTRIBUTOR_TOKEN} set every request that changes something (ingest, weight changes: any method but GET and
 * HEAD) needs the bearer token, and with {@code distributor.auth.protect-reads} every read but {@code GET /health}
 * does too. A request whose body has not fully arrived {@code distributor.body-timeout-ms} after its head is answered
 * 408 and its connection closed, so that a client trickling its body cannot keep a request open (it never holds a
 * thread: Vert.x reads bodies without one). A client that asks {@code Expect: 100-continue} before it sends its body
 * (curl does for a body over 1 MiB, and so does every libcurl agent) is told to go on once its token passed, unless its
 * {@code Content-Length} is over the body limit: then the 413 comes at once, with no body sent for nothing.
 */
public final class RequestGuards {

    private static final Logger LOG = LoggerFactory.getLogger(RequestGuards.class);

    private final BearerToken token;
    private final boolean protectReads;
    private final long bodyTimeoutMs;
    private final long maxBodyBytes;
    private final String ingestPath;
    private final IngestMeters meters;

    public RequestGuards(BearerToken token, boolean protectReads, long bodyTimeoutMs, long maxBodyBytes, String ingestPath,
                         IngestMeters meters) {
        this.token = token;
        this.protectReads = protectReads;
        this.bodyTimeoutMs = bodyTimeoutMs;
        this.maxBodyBytes = maxBodyBytes;
        this.ingestPath = ingestPath;
        this.meters = meters;
    }

    /** Puts the guard first on {@code router}, ahead of the routes' own body handlers. */
    public void install(Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::guard);
    }

    private void guard(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (!request.isEnded()) {
            long timer = ctx.vertx().setTimer(bodyTimeoutMs, id -> tooSlow(ctx));
            ctx.addEndHandler(v -> ctx.vertx().cancelTimer(timer));
        }
        boolean read = request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD;
        boolean needsToken = !read || protectReads && !"/health".equals(ctx.normalizedPath());
        String authorization = request.getHeader("Authorization");
        if (needsToken && !token.accepts(authorization)) {
            unauthorized(ctx, authorization);
            return;
        }
        if (!request.isEnded() && expectsContinue(request) && RequestBody.contentLength(request) <= maxBodyBytes) {
            // without it such a client waits a second (curl) or for ever before it sends the body
            ctx.response().writeContinue();
        }
        ctx.next();
    }

    private static boolean expectsContinue(HttpServerRequest request) {
        return "100-continue".equalsIgnoreCase(request.getHeader("Expect"));
    }

    /** 401 once the body (unread, unwanted) has arrived, so that the client reads the answer instead of a reset. */
    private void unauthorized(RoutingContext ctx, String authorization) {
        HttpServerRequest request = ctx.request();
        Runnable answer = () -> {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
            JsonErrors.answer(ctx, 401, authorization == null ? "an Authorization: Bearer <token> header is required"
                    : "the bearer token is not valid", List.of(new Violation("Authorization", "must be Bearer <DISTRIBUTOR_TOKEN>")));
            if (ingestPath.equals(ctx.normalizedPath())) {
                meters.answered(401, 0, null);
            }
        };
        if (request.isEnded()) {
            answer.run();
        } else if (expectsContinue(request)) {
            // it sends no body until told to: the answer now, and the connection closed after it
            ctx.response().putHeader("Connection", "close");
            answer.run();
        } else {
            request.handler(ignored -> { }).endHandler(v -> answer.run());
            request.resume();
        }
    }

    private void tooSlow(RoutingContext ctx) {
        if (ctx.request().isEnded() || ctx.response().ended() || ctx.response().closed()) {
            return; // the body is in: whatever takes time now is ours, not the client's
        }
        LOG.debug("{} {} from {}: body not in after {} ms, answering 408", ctx.request().method(), ctx.request().path(),
                ctx.request().remoteAddress(), bodyTimeoutMs);
        HttpConnection connection = ctx.request().connection();
        ctx.response().putHeader("Connection", "close");
        JsonErrors.answer(ctx, 408, "the request body did not arrive within " + bodyTimeoutMs
                + " ms (distributor.body-timeout-ms)", List.of()).onComplete(done -> connection.close());
    }
}
