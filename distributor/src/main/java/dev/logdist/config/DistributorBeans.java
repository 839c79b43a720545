package dev.logdist.config;

import dev.logdist.balancer.MessageLedger;
import dev.logdist.balancer.MessageWeightedLoadBalancer;
import dev.logdist.balancer.WeightTable;
import dev.logdist.delivery.AnalyzerHealth;
import dev.logdist.delivery.DeliveryOutcomes;
import dev.logdist.delivery.DeliveryStats;
import dev.logdist.delivery.PacketChunker;
import dev.logdist.delivery.PacketWindow;
import dev.logdist.delivery.QueueBudget;
import dev.logdist.delivery.RejectedParking;
import dev.logdist.kafka.KafkaBuffer;
import dev.logdist.kafka.KafkaDeliveries;
import dev.logdist.observe.LivePage;
import dev.logdist.observe.Metrics;
import dev.logdist.observe.WeightChanges;
import dev.logdist.routes.AnalyzersView;
import dev.logdist.routes.DeliveryRoutes;
import dev.logdist.routes.GuardedHttpServer;
import dev.logdist.routes.HttpAnswers;
import dev.logdist.routes.IngestHttpEngine;
import dev.logdist.routes.IngestProcessor;
import dev.logdist.routes.JsonErrorPages;
import dev.logdist.routes.RequestGuards;
import dev.logdist.spool.Spools;
import dev.logdist.validation.BearerToken;
import dev.logdist.validation.JsonGuard;
import dev.logdist.validation.PacketParser;
import dev.logdist.validation.RequestGate;
import java.io.IOException;
import java.util.List;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

/** Reads and validates the configuration once and binds every bean the routes use. */
public class DistributorBeans implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        DistributorConfig config = DistributorConfig.from(
                key -> context.getPropertiesComponent().resolveProperty(key).orElse(null));
        List<String> names = config.analyzers().stream().map(AnalyzerSpec::name).toList();
        double[] weights = config.analyzers().stream().mapToDouble(AnalyzerSpec::weight).toArray();
        WeightTable table = WeightTable.of(names, weights);
        MessageLedger ledger = new MessageLedger(table);
        DeliveryStats stats = new DeliveryStats(names);
        AnalyzerHealth health = new AnalyzerHealth(names, config.outage().breaker());
        if (config.outagePolicy() == DistributorConfig.OutagePolicy.FAILOVER) {
            // the analyzers that are not DOWN share the traffic by their weights, counted afresh at every change
            health.onChange(changed -> {
                boolean[] up = new boolean[names.size()];
                for (int i = 0; i < up.length; i++) {
                    up[i] = health.available(i);
                }
                ledger.reset(ledger.table(), up);
            });
        }
        config.security().analyzerTrust().ifPresent(pem -> dev.logdist.delivery.AnalyzerTrust.apply(context, pem));
        Spools spools = openSpools(config, names);
        context.addService(spools);

        Registry registry = context.getRegistry();
        registry.bind("distributorConfig", config);
        // platform-http's Vert.x: one event loop per core (Vert.x's default is two), fewer threads to switch between
        registry.bind("vertxOptions", new io.vertx.core.VertxOptions()
                .setEventLoopPoolSize(Runtime.getRuntime().availableProcessors()));
        registry.bind("messageLedger", ledger);
        registry.bind("messageWeightedLoadBalancer", new MessageWeightedLoadBalancer(ledger));
        registry.bind("deliveryStats", stats);
        registry.bind("analyzerHealth", health);
        for (int i = 0; i < names.size(); i++) {
            registry.bind(health.breakerName(i), health.breaker(i));
        }
        registry.bind("spools", spools);
        QueueBudget budget = new QueueBudget(names.size(), config.delivery().queueMaxBytes());
        registry.bind("queueBudget", budget);
        KafkaBuffer kafka = config.kafka().map(k -> new KafkaBuffer(k, names, config.limits().maxBodyBytes())).orElse(null);
        // chunks waiting for their analyzer: in its SEDA queue, or in its Kafka topic (the consumer group's lag)
        java.util.function.IntToLongFunction queued = kafka != null ? i -> Math.max(0, kafka.lag(i))
                : i -> DeliveryRoutes.queued(context, config.analyzers().get(i));
        Metrics metrics = new Metrics(names, stats, health, spools, ledger, queued);
        registry.bind("metrics", metrics);
        DeliveryOutcomes outcomes = new DeliveryOutcomes(names, config.outagePolicy(), stats, spools,
                new RejectedParking(config.dataDir()), ledger, health, i -> DeliveryRoutes.queueUri(config.analyzers().get(i)));
        outcomes.setMetrics(metrics);
        outcomes.setBudget(budget);
        registry.bind("deliveryOutcomes", outcomes);
        if (kafka != null) {
            metrics.kafkaLag(names, queued);
            registry.bind("kafkaBuffer", kafka);
            context.addService(kafka);
            KafkaDeliveries deliveries = new KafkaDeliveries(context, kafka, config, outcomes, stats, health, ledger);
            context.addService(deliveries);
            context.addStartupListener(deliveries);
            context.getManagementStrategy().addEventNotifier(deliveries.stopFirst());
        }
        BearerToken token = new BearerToken(config.token());
        WeightChanges weightChanges = new WeightChanges(ledger, token);
        registry.bind("weightChanges", weightChanges);
        registerMBean(weightChanges);
        registry.bind("livePage", new LivePage());
        registry.bind("health", new dev.logdist.observe.Health(spools, kafka == null ? () -> true : kafka::answers));
        PacketWindow window = new PacketWindow(config.outage().dedupeWindowSeconds(), config.outage().dedupeMaxIds());
        registry.bind("packetWindow", window);
        IngestProcessor ingest = new IngestProcessor(
                new RequestGate(config.limits().maxBodyBytes()),
                new PacketParser(config.limits(), new JsonGuard(config.security().maxJsonDepth(),
                        config.security().maxJsonStringChars())),
                new PacketChunker(config.limits().maxChunkMessages()),
                window, spools, token);
        registry.bind("ingestProcessor", ingest);
        HttpAnswers answers = new HttpAnswers(metrics);
        registry.bind("httpAnswers", answers);
        // the ingest route's last step, a Processor rather than two bean calls: it runs for every request
        registry.bind("packetAccepted", (org.apache.camel.Processor) exchange -> {
            ingest.accepted(exchange);
            answers.accepted(exchange);
        });
        registry.bind("analyzersView", new AnalyzersView(config, ledger, stats, health, spools, queued));
        context.addStartupListener(new JsonErrorPages(config.port(), config.limits().maxBodyBytes()));
        IngestHttpEngine engine = new IngestHttpEngine("/logs");
        engine.setCamelContext(context);
        registry.bind(org.apache.camel.component.platform.http.PlatformHttpConstants.PLATFORM_HTTP_ENGINE_NAME, engine);
        // in place of camel-main's platform-http server (camel.server.enabled=false), which cannot take these limits
        context.addService(new GuardedHttpServer(config, new RequestGuards(token, config.security().protectReads(),
                config.security().bodyTimeoutMs())));
    }

    private static void registerMBean(WeightChanges weights) throws Exception {
        javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        javax.management.ObjectName name = new javax.management.ObjectName("dev.logdist:type=Weights");
        if (server.isRegistered(name)) {
            server.unregisterMBean(name); // a previous context in the same JVM (tests)
        }
        server.registerMBean(weights, name);
    }

    private static Spools openSpools(DistributorConfig config, List<String> names) {
        try {
            return new Spools(config.dataDir(), names, config.outage().spoolSegmentBytes(), config.outage().spoolMaxBytes());
        } catch (IOException e) {
            throw new ConfigException(DistributorConfig.DATA_DIR.label() + ": cannot open the spool under '"
                    + config.dataDir() + "': " + e);
        }
    }
}
