package dev.logdist;

import dev.logdist.api.AnalyzersView;
import dev.logdist.api.Health;
import dev.logdist.api.LivePage;
import dev.logdist.api.Metrics;
import dev.logdist.api.Redrive;
import dev.logdist.api.WeightChanges;
import dev.logdist.balancer.BalanceRoutes;
import dev.logdist.balancer.MessageLedger;
import dev.logdist.balancer.MessageWeightedLoadBalancer;
import dev.logdist.balancer.ProtocolShares;
import dev.logdist.balancer.WeightTable;
import dev.logdist.buffer.Buffer;
import dev.logdist.bulk.BulkAnswers;
import dev.logdist.bulk.BulkIntake;
import dev.logdist.bulk.EsReadCalls;
import dev.logdist.bulk.EsReadRoutes;
import dev.logdist.config.AnalyzerSpec;
import dev.logdist.config.ConfigException;
import dev.logdist.config.DistributorConfig;
import dev.logdist.delivery.AnalyzerErrors;
import dev.logdist.delivery.AnalyzerHealth;
import dev.logdist.delivery.AnalyzerQueues;
import dev.logdist.delivery.AnalyzerTrust;
import dev.logdist.delivery.Completions;
import dev.logdist.delivery.DeliveryDeadline;
import dev.logdist.delivery.DeliveryLatency;
import dev.logdist.delivery.DeliveryStats;
import dev.logdist.delivery.OutagePolicy;
import dev.logdist.delivery.RejectedParking;
import dev.logdist.delivery.SendRoutes;
import dev.logdist.http.BearerToken;
import dev.logdist.http.GuardedHttpServer;
import dev.logdist.http.HttpAnswers;
import dev.logdist.http.IngestHttpEngine;
import dev.logdist.http.IngestMeters;
import dev.logdist.http.JsonErrorPages;
import dev.logdist.http.RequestGuards;
import dev.logdist.ingest.IngestProcessor;
import dev.logdist.ingest.PacketChunker;
import dev.logdist.ingest.PacketWindow;
import dev.logdist.ingest.ProtocolCounter;
import dev.logdist.ingest.RefusalLog;
import dev.logdist.kafka.KafkaBuffer;
import dev.logdist.lines.LinesIntake;
import dev.logdist.otlp.OtlpAnswers;
import dev.logdist.otlp.OtlpIntake;
import dev.logdist.spool.Durability;
import dev.logdist.spool.JournalOptions;
import dev.logdist.spool.Journals;
import dev.logdist.spool.SpoolBuffer;
import dev.logdist.validation.JsonGuard;
import dev.logdist.validation.PacketParser;
import dev.logdist.validation.RequestGate;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.component.platform.http.PlatformHttpConstants;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Registry;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;

/**
 * The wiring, in the order a packet meets it: the settings, the HTTP server, ingest, the balancer, the buffer and
 * delivery, then the API beside them. Every bean is built here by its constructor, so its dependencies show in one
 * place; the names it is bound under are the ones the YAML routes call ({@code ingestProcessor}, {@code httpAnswers},
 * ...). Settings reach code only through the validated {@link DistributorConfig}.
 */
public class DistributorConfiguration implements CamelConfiguration {

    /** The path agents post packets to: its route runs on the event loop that read the request. */
    static final String INGEST_PATH = "/logs";
    /** Where OpenTelemetry exporters post logs (OTLP/HTTP): on the event loop too. */
    static final String OTLP_PATH = "/v1/logs";
    /** The Elasticsearch bulk paths (docs/agents/elasticsearch.md); their route runs on the event loop too. */
    static final Set<String> BULK_PATHS = Set.of("/_bulk", "/{index}/_bulk", "/es/_bulk", "/es/{index}/_bulk");

    private CamelContext context;
    private Registry registry;

    @Override
    public void configure(CamelContext camel) throws Exception {
        this.context = camel;
        this.registry = camel.getRegistry();
        DistributorConfig config = bind("distributorConfig", DistributorConfig.from(
                key -> camel.getPropertiesComponent().resolveProperty(key).orElse(null)));
        List<AnalyzerSpec> analyzers = config.analyzers();
        List<String> names = analyzers.stream().map(AnalyzerSpec::name).toList();
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

        // the balancer: weights, the ledger of messages per analyzer, the Camel load balancer over it
        MessageLedger ledger = bind("messageLedger", new MessageLedger(WeightTable.of(names,
                analyzers.stream().mapToDouble(AnalyzerSpec::weight).toArray())));
        ProtocolShares protocolShares = new ProtocolShares(names.size());
        MessageWeightedLoadBalancer balancer = bind("messageWeightedLoadBalancer",
                new MessageWeightedLoadBalancer(ledger, protocolShares));

        // delivery: a breaker per analyzer, the outage policy, what counts and parks the outcome of a request
        AnalyzerHealth health = bind("analyzerHealth", new AnalyzerHealth(names, config.outage().breaker()));
        for (int i = 0; i < names.size(); i++) {
            bind(health.breakerName(i), health.breaker(i));
        }
        OutagePolicy policy = new OutagePolicy(config.outagePolicy(), health, ledger::assign);
        if (!policy.waitsWhileDown()) {
            // the analyzers that are not DOWN share the traffic by their weights, counted afresh at every change
            health.onChange(changed -> ledger.activate(health.availability()));
        }
        DeliveryStats stats = bind("deliveryStats", new DeliveryStats(names));
        RejectedParking parking = new RejectedParking(config.dataDir());
        Completions completions = new Completions(names, stats, parking, new DeliveryLatency(meters, names));
        AnalyzerErrors errors = new AnalyzerErrors(names, health);
        configureDeliveryHttp(config);

        // the buffer: where chunks wait for their analyzer, and whatever delivers from there
        ExecutorService waits = ingestWaits(config);
        Buffer buffer = bind("buffer", config.kafka().isPresent()
                ? kafkaBuffer(config, completions, stats, health, policy, waits)
                : spoolBuffer(config, completions, stats, health, policy, waits));
        bind("metrics", new Metrics(meters, names, stats, health, buffer, ledger, parking));

        // ingest: request checks, validation, chunking, the duplicate window; its answers
        RequestGate gate = new RequestGate(config.limits().maxBodyBytes());
        JsonGuard guard = new JsonGuard(config.security().maxJsonDepth(), config.security().maxJsonStringChars());
        PacketParser parser = new PacketParser(config.limits(), guard);
        IngestProcessor ingest = bind("ingestProcessor", new IngestProcessor(parser,
                new PacketChunker(config.limits().maxChunkMessages()),
                new PacketWindow(config.outage().dedupeWindowSeconds(), config.outage().dedupeMaxIds()),
                buffer, new ProtocolCounter(meters), config.ingest().partial()));
        // POST /logs: native packets as before, JSON lines and arrays of records beside them
        bind("linesIntake", LinesIntake.of(gate, ingest, parser, guard, config.ingest().lines(), config.limits()));
        IngestMeters ingestMeters = new IngestMeters(meters);
        // every protocol's refusals, logged at most once per agent every 10 s
        RefusalLog refusalLog = bind("refusalLog", new RefusalLog());
        HttpAnswers answers = bind("httpAnswers", new HttpAnswers(ingestMeters, refusalLog));
        bind("keepPacket", buffer.keeper());
        // the ingest route's last step, a Processor rather than two bean calls: it runs for every request
        bind("packetAccepted", (Processor) exchange -> {
            ingest.accepted(exchange);
            answers.accepted(exchange);
        });
        // OTLP/HTTP logs: the same gate, validator and taking, answered in OTLP's terms
        bind("otlpIntake", new OtlpIntake(gate, parser, ingest, config.limits().maxAttributes(),
                config.security().maxJsonStringChars()));
        OtlpAnswers otlpAnswers = bind("otlpAnswers", new OtlpAnswers(ingest, ingestMeters::answered));
        bind("otlpAccepted", (Processor) otlpAnswers::accepted); // every request: a Processor, not a bean call

        // the Elasticsearch bulk API: its documents as one native packet, answered per item; the shippers' read calls
        bind("bulkIntake", new BulkIntake(gate, parser, ingest, config.limits().maxMessagesPerPacket(),
                config.limits().maxAttributes(), config.security().maxJsonDepth(), config.security().maxJsonStringChars()));
        BulkAnswers bulkAnswers = bind("bulkAnswers", new BulkAnswers(ingest, ingestMeters::answered, refusalLog));
        bind("bulkAccepted", (Processor) bulkAnswers::accepted);
        addRoutes(new EsReadRoutes(new EsReadCalls()));

        // the API beside the flow
        bind("analyzersView", new AnalyzersView(analyzers, ledger, stats, health, buffer, parking, errors, protocolShares));
        // both buffers keep a chunk handed to them again, durably, as they keep what they accept
        bind("redrive", new Redrive(names, parking, buffer));
        WeightChanges weightChanges = bind("weightChanges", new WeightChanges(ledger));
        registerMBean(weightChanges);
        bind("livePage", new LivePage());
        bind("health", new Health());
        HealthCheckRegistry.get(camel).register(new Health.BufferCheck(buffer));

        // the Java routes: the balancer, sending to the analyzers, and the buffer's own
        addRoutes(new BalanceRoutes(balancer, buffer, names.size()));
        addRoutes(new SendRoutes(analyzers, health));
        for (RoutesBuilder routes : buffer.routes()) {
            addRoutes(routes);
        }

        // the HTTP server: in place of camel-main's platform-http server (camel.server.enabled=false), which cannot
        // take these limits; platform-http's Vert.x gets one event loop per core (Vert.x's default is two)
        bind("vertxOptions", new VertxOptions().setEventLoopPoolSize(Runtime.getRuntime().availableProcessors()));
        IngestHttpEngine engine = new IngestHttpEngine(ingestPaths(), config.limits().maxBodyBytes());
        engine.setCamelContext(camel);
        bind(PlatformHttpConstants.PLATFORM_HTTP_ENGINE_NAME, engine);
        JsonErrorPages errorPages = new JsonErrorPages(config.limits().maxBodyBytes());
        camel.addStartupListener(errorPages);
        camel.addService(new GuardedHttpServer(config, new RequestGuards(new BearerToken(config.token()),
                config.security().protectReads(), config.security().bodyTimeoutMs(), config.limits().maxBodyBytes(),
                INGEST_PATH, ingestMeters),
                errorPages));
    }

    /** The paths whose routes run on the event loop: every ingest path. */
    private static Set<String> ingestPaths() {
        Set<String> paths = new java.util.HashSet<>(BULK_PATHS);
        paths.add(INGEST_PATH);
        paths.add(OTLP_PATH);
        return paths;
    }

    private Buffer spoolBuffer(DistributorConfig config, Completions completions, DeliveryStats stats, AnalyzerHealth health,
                               OutagePolicy policy, ExecutorService waits) throws Exception {
        SpoolBuffer spool = new SpoolBuffer(config, openJournals(config),
                new AnalyzerQueues(context, config.analyzers(), config.delivery()), policy, completions, stats, health, waits);
        context.addService(spool);
        return spool;
    }

    private Buffer kafkaBuffer(DistributorConfig config, Completions completions, DeliveryStats stats, AnalyzerHealth health,
                               OutagePolicy policy, ExecutorService waits) throws Exception {
        KafkaBuffer kafka = new KafkaBuffer(context, config, completions, stats, health, policy, waits);
        context.addService(kafka);
        return kafka;
    }

    /**
     * Where an enqueue that has to wait for room, or spool, goes on from the event loop: a fixed pool whose queue is
     * bounded, so that behind a slow analyzer ingest answers 503 instead of filling the heap with waiting packets;
     * never Camel's default caller-runs, which would make the event loop itself wait.
     */
    private ExecutorService ingestWaits(DistributorConfig config) {
        int threads = config.delivery().ingestWaitThreads();
        return context.getExecutorServiceManager().newThreadPool(this, "ingest-wait",
                new ThreadPoolProfileBuilder("ingest-wait").poolSize(threads).maxPoolSize(threads)
                        .maxQueueSize(config.delivery().ingestWaitQueue())
                        .rejectedPolicy(ThreadPoolRejectedPolicy.Abort).build());
    }

    /**
     * Delivery's HTTP client: a deadline for each whole exchange with an analyzer (the delivery timeout), which aborts
     * the request and its socket; within it a connect timeout and, per read, the response timeout; https analyzers
     * trusted by the configured certificates.
     */
    private void configureDeliveryHttp(DistributorConfig config) {
        DistributorConfig.Delivery delivery = config.delivery();
        DeliveryDeadline deadline = new DeliveryDeadline(delivery.timeoutMs(),
                context.getExecutorServiceManager().newScheduledThreadPool(this, "delivery-deadline", 1));
        for (String scheme : new String[] {"http", "https"}) {
            HttpComponent http = context.getComponent(scheme, HttpComponent.class);
            http.setConnectTimeout(delivery.effectiveConnectTimeoutMs());
            http.setResponseTimeout(delivery.timeoutMs());
            http.setHttpClientConfigurer(deadline);
        }
        config.security().analyzerTrust().ifPresent(pem -> AnalyzerTrust.apply(context, pem));
    }

    private <T> T bind(String name, T bean) {
        registry.bind(name, bean);
        return bean;
    }

    private void addRoutes(RoutesBuilder routes) throws Exception {
        context.addRoutes(routes);
    }

    private static void registerMBean(WeightChanges weights) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("dev.logdist:type=Weights");
        if (server.isRegistered(name)) {
            server.unregisterMBean(name); // a previous context in the same JVM (tests)
        }
        server.registerMBean(weights, name);
    }

    private static Journals openJournals(DistributorConfig config) {
        List<String> names = config.analyzers().stream().map(AnalyzerSpec::name).toList();
        DistributorConfig.Outage outage = config.outage();
        // memory durability writes only what overflows or fails, as soon as it does: WRITE durability for those
        Durability durability = outage.durability() == DistributorConfig.Durability.FSYNC ? Durability.FSYNC : Durability.WRITE;
        JournalOptions options = JournalOptions.defaults().withDurability(durability)
                .withSegmentBytes(outage.spoolSegmentBytes()).withMinFreeBytes(outage.spoolMinFreeBytes())
                .withMaxPendingBytes(outage.spoolMaxBytes()).withCursorIntervalMillis(outage.spoolCursorIntervalMs());
        try {
            return new Journals(config.dataDir(), names, options);
        } catch (IOException e) {
            throw new ConfigException(DistributorConfig.DATA_DIR.label() + ": cannot open the journals under '"
                    + config.dataDir() + "': " + e);
        }
    }
}
