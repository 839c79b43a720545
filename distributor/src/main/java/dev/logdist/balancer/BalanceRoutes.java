package dev.logdist.balancer;

import dev.logdist.buffer.Buffer;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.LoadBalanceDefinition;

/**
 * {@code balance-chunks}: the message-weighted load balancer picks each chunk's analyzer and hands it to that
 * analyzer's intake in the buffer. A chunk that cannot be kept fails the ingest exchange, which answers 503: no error
 * handler of its own here.
 */
public class BalanceRoutes extends RouteBuilder {

    private final MessageWeightedLoadBalancer balancer;
    private final Buffer buffer;
    private final int analyzers;

    public BalanceRoutes(MessageWeightedLoadBalancer balancer, Buffer buffer, int analyzers) {
        this.balancer = balancer;
        this.buffer = buffer;
        this.analyzers = analyzers;
    }

    @Override
    public void configure() {
        LoadBalanceDefinition balance = from("direct:balance-chunk").routeId("balance-chunks")
                .startupOrder(1) // before the ingest routes that call it, which start early (ingest.camel.yaml)
                .errorHandler(noErrorHandler())
                .streamCache("false") // a chunk is no stream: the advice would only look for a converter
                .loadBalance(balancer).id("loadBalance");
        for (int i = 0; i < analyzers; i++) {
            balance.process(buffer.intake(i)).id(buffer.intakeId(i));
        }
        balance.end();
    }
}
