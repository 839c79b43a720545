package dev.logdist.delivery;

import dev.logdist.config.AnalyzerSpec;
import java.util.List;
import org.apache.camel.builder.RouteBuilder;

/**
 * One {@code send-<name>} route per analyzer: a delivery's chunks as one HTTP request, through the analyzer's circuit
 * breaker, and a batch answered 413 or refused sent again in halves ({@link BatchVerdicts}). Failures return to the
 * caller (a delivery route's dead-letter channel, a replay, the Kafka delivery): the breaker only counts them and
 * short-circuits while open, it has no fallback.
 */
public class SendRoutes extends RouteBuilder {

    private final List<AnalyzerSpec> analyzers;
    private final AnalyzerHealth health;

    public SendRoutes(List<AnalyzerSpec> analyzers, AnalyzerHealth health) {
        this.analyzers = List.copyOf(analyzers);
        this.health = health;
    }

    /** The endpoint that sends a delivery to analyzer {@code name}. */
    public static String uri(String name) {
        return "direct:send-" + name;
    }

    @Override
    public void configure() {
        for (int i = 0; i < analyzers.size(); i++) {
            AnalyzerSpec analyzer = analyzers.get(i);
            from(uri(analyzer.name())).routeId("send-" + analyzer.name())
                    .errorHandler(noErrorHandler())
                    .process(AnalyzerRequests::toRequest)
                    .circuitBreaker().id("circuitBreaker-" + analyzer.name())
                        .resilience4jConfiguration()
                            .circuitBreaker(health.breakerName(i))
                            .throwExceptionWhenHalfOpenOrOpenState(true)
                        .end()
                        .to(analyzer.url() + "?httpMethod=POST&throwExceptionOnFailure=false").id("to-" + analyzer.name())
                        .process(AnalyzerRequests::judge)
                    .end()
                    // outside the breaker: the halves of a refused batch pass it as requests of their own
                    .process(new BatchVerdicts(getContext().createProducerTemplate(), uri(analyzer.name())))
                        .id("settle-" + analyzer.name());
        }
    }
}
