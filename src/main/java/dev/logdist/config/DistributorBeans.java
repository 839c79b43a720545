package dev.logdist.config;

import dev.logdist.balancer.MessageLedger;
import dev.logdist.balancer.MessageWeightedLoadBalancer;
import dev.logdist.balancer.WeightTable;
import dev.logdist.delivery.DeadLetterParking;
import dev.logdist.delivery.DeliveryStats;
import dev.logdist.delivery.PacketChunker;
import dev.logdist.routes.AnalyzersView;
import dev.logdist.routes.HttpAnswers;
import dev.logdist.routes.IngestProcessor;
import dev.logdist.routes.JsonErrorPages;
import dev.logdist.validation.PacketParser;
import dev.logdist.validation.RequestGate;
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
        MessageLedger ledger = new MessageLedger(WeightTable.of(names, weights));
        DeliveryStats stats = new DeliveryStats(names);

        Registry registry = context.getRegistry();
        registry.bind("distributorConfig", config);
        registry.bind("messageLedger", ledger);
        registry.bind("messageWeightedLoadBalancer", new MessageWeightedLoadBalancer(ledger));
        registry.bind("deliveryStats", stats);
        registry.bind("deadLetterParking", new DeadLetterParking(config.dataDir()));
        registry.bind("ingestProcessor", new IngestProcessor(
                new RequestGate(config.limits().maxBodyBytes()),
                new PacketParser(config.limits()),
                new PacketChunker(config.limits().maxChunkMessages())));
        registry.bind("httpAnswers", new HttpAnswers());
        registry.bind("analyzersView", new AnalyzersView(config, ledger, stats));
        context.addStartupListener(new JsonErrorPages(config.port(), config.limits().maxBodyBytes()));
    }
}
