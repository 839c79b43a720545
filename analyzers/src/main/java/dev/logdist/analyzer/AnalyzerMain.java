package dev.logdist.analyzer;

import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts one analyzer process, configured by ANALYZER_PORT and ANALYZER_NAME; stops cleanly on SIGTERM. */
public final class AnalyzerMain {

    private static final Logger LOG = LoggerFactory.getLogger(AnalyzerMain.class);

    private AnalyzerMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = intSetting("ANALYZER_PORT", "9101", 1, 65_535);
        String name = System.getenv().getOrDefault("ANALYZER_NAME", "analyzer-" + port);
        String host = System.getenv().getOrDefault("ANALYZER_HOST", "0.0.0.0");
        int capacity = intSetting("ANALYZER_DEDUPE_CAPACITY", "1000000", 1, 100_000_000);

        Vertx vertx = Vertx.vertx();
        AnalyzerServer server = new AnalyzerServer(vertx, name, capacity);
        String dataDir = System.getenv("ANALYZER_DATA_DIR");
        if (dataDir != null && !dataDir.isBlank()) {
            server.persistIn(java.nio.file.Path.of(dataDir));
            LOG.info("analyzer {} keeps its counts in {}: {}", name, dataDir, server.stats());
        }
        try {
            server.listen(host, port).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("analyzer: cannot listen on " + host + ":" + port + ": " + rootMessage(e));
            vertx.close();
            System.exit(1);
        }
        LOG.info("analyzer {} listening on {}:{}", name, host, port);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("analyzer {} did not stop cleanly: {}", name, e.toString());
            }
            // log4j may already be shutting down in its own hook: say it on stderr
            System.err.println("analyzer " + name + " stopped: " + server.stats());
        }, "analyzer-shutdown"));
    }

    private static int intSetting(String env, String fallback, int min, int max) {
        String value = System.getenv().getOrDefault(env, fallback).trim();
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        System.err.println("analyzer: invalid setting " + env + ": must be a whole number from " + min + " to " + max
                + ", got '" + value + "'");
        System.exit(2);
        return -1;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.toString();
    }
}
