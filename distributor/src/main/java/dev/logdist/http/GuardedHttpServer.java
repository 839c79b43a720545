package dev.logdist.http;

import dev.logdist.config.DistributorConfig;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The distributor's HTTP server: Camel's Vert.x platform-http server, started with the limits Camel's
 * {@code camel.server.*} options do not reach (request-head sizes, idle timeout, a connection cap, TLS from PEM files)
 * and with the {@link RequestGuards} in front of every route.
 */
public final class GuardedHttpServer extends VertxPlatformHttpServer {

    private static final Logger LOG = LoggerFactory.getLogger(GuardedHttpServer.class);

    private final VertxPlatformHttpServerConfiguration configuration;
    private final DistributorConfig.Security security;
    private final RequestGuards guards;
    private final JsonErrorPages errorPages;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    private static final int INSTANCES = Runtime.getRuntime().availableProcessors();

    private final java.util.List<HttpServer> servers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile HttpServer server;
    private volatile String deployment;
    private volatile Vertx created;

    public GuardedHttpServer(DistributorConfig config, RequestGuards guards, JsonErrorPages errorPages) {
        this(configuration(config), config.security(), guards, errorPages);
    }

    private GuardedHttpServer(VertxPlatformHttpServerConfiguration configuration, DistributorConfig.Security security,
                              RequestGuards guards, JsonErrorPages errorPages) {
        super(configuration);
        this.configuration = configuration;
        this.security = security;
        this.guards = guards;
        this.errorPages = errorPages;
    }

    private static VertxPlatformHttpServerConfiguration configuration(DistributorConfig config) {
        VertxPlatformHttpServerConfiguration c = new VertxPlatformHttpServerConfiguration();
        c.setServerType(VertxPlatformHttpRouter.SERVER_TYPE_SERVER);
        c.setBindHost(config.host());
        c.setBindPort(config.port());
        c.setMaxBodySize((long) config.limits().maxBodyBytes());
        c.getBodyHandler().setHandleFileUploads(false);
        return c;
    }

    @Override
    protected void startServer() throws Exception {
        HttpServerOptions options = new HttpServerOptions()
                .setMaxHeaderSize(security.maxHeaderBytes())
                .setMaxInitialLineLength(security.maxInitialLineBytes())
                .setIdleTimeout(security.idleTimeoutSeconds())
                .setIdleTimeoutUnit(TimeUnit.SECONDS)
                // HTTP/1.1 only: the connection handler then sees every connection as it opens
                .setHttp2ClearTextEnabled(false);
        security.tls().ifPresent(tls -> options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                .setCertPath(tls.certFile().toString()).setKeyPath(tls.keyFile().toString())));
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(getCamelContext(),
                VertxPlatformHttpRouter.getRouterNameFromPort(configuration.getBindPort()));
        guards.install(router);
        errorPages.install(router, getCamelContext());
        // one server per core on the same port, each deployed in its own verticle so that each gets its own event loop:
        // Vert.x serves all the connections of a server instance on one event loop, and hands new connections round
        // robin to the instances that share a port
        HttpServer first = listen(getVertx(), options, router, configuration.getBindPort())
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        java.util.function.Supplier<io.vertx.core.Verticle> more = () -> new io.vertx.core.AbstractVerticle() {
            @Override
            public void start(io.vertx.core.Promise<Void> started) {
                listen(vertx, options, router, first.actualPort()).<Void>mapEmpty().onComplete(started);
            }
        };
        // port 0 (tests) gets a single instance: a second listen on the port the first one drew would not share it
        int instances = configuration.getBindPort() == 0 ? 1 : INSTANCES;
        if (instances > 1) {
            deployment = getVertx().deployVerticle(more, new io.vertx.core.DeploymentOptions().setInstances(instances - 1))
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        server = servers.get(0);
        LOG.info("HTTP server listening on {}:{} ({}, {} instance(s), each on its own event loop; at most {} connections)", configuration.getBindHost(),
                server.actualPort(), security.tls().isPresent() ? "TLS" : "plain HTTP", servers.size(), security.maxConnections());
    }

    /** One server instance on {@code vertx}'s current event loop, remembered for {@link #stopServer()}. */
    private io.vertx.core.Future<HttpServer> listen(Vertx vertx, HttpServerOptions options, VertxPlatformHttpRouter router,
                                                    int port) {
        return vertx.createHttpServer(options).connectionHandler(this::admit).invalidRequestHandler(this::invalid)
                .requestHandler(router).listen(port, configuration.getBindHost()).onSuccess(servers::add);
    }

    @Override
    protected void stopServer() {
        server = null;
        for (HttpServer s : servers) {
            try {
                s.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("closing the HTTP server failed: {}", e.toString());
            }
        }
        servers.clear();
        String d = deployment;
        deployment = null;
        if (d != null) {
            try {
                getVertx().undeploy(d).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("undeploying the HTTP server instances failed: {}", e.toString());
            }
        }
    }

    @Override
    protected Vertx createVertxInstance() {
        created = super.createVertxInstance();
        return created;
    }

    /** Closes the Vert.x instance only if this server made it (the superclass would close a shared one instead). */
    @Override
    protected void stopVertx() {
        Vertx own = created;
        created = null;
        if (own != null) {
            try {
                own.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("closing Vert.x failed: {}", e.toString());
            }
        }
    }

    @Override
    public HttpServer getServer() {
        return server;
    }

    @Override
    public int getPort() {
        HttpServer s = server;
        return s != null ? s.actualPort() : configuration.getBindPort();
    }

    /** Connections beyond {@code distributor.max-connections} are closed at once: no request on them is read. */
    private void admit(HttpConnection connection) {
        connection.closeHandler(v -> open.decrementAndGet());
        if (open.incrementAndGet() > security.maxConnections()) {
            long n = refused.incrementAndGet();
            if (n == 1 || n % 1000 == 0) {
                LOG.warn("{} connection(s) refused so far: {} open is the most allowed (distributor.max-connections)",
                        n, security.maxConnections());
            }
            connection.close();
        }
    }

    /** A request head Vert.x could not accept: a JSON answer naming the limit, then the connection closes. */
    private void invalid(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        int status;
        String error;
        if (cause instanceof TooLongHttpLineException) {
            status = 414;
            error = "the request line is longer than " + security.maxInitialLineBytes() + " bytes (distributor.max-initial-line-bytes)";
        } else if (cause instanceof TooLongHttpHeaderException) {
            status = 431;
            error = "the request headers are larger than " + security.maxHeaderBytes() + " bytes (distributor.max-header-bytes)";
        } else {
            status = 400;
            error = "the request is not valid HTTP/1.1";
        }
        request.response().putHeader("Connection", "close");
        JsonErrors.answer(request.response(), status, error, java.util.List.of());
    }

    /** Connections open now, for tests and metrics. */
    public int openConnections() {
        return open.get();
    }
}
