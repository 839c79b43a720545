package dev.logdist.balancer;

import dev.logdist.model.Chunk;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.processor.loadbalancer.QueueLoadBalancer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each exchange to the target whose share of <em>messages</em> (not exchanges) lags most urgently, reading the
 * message count from its {@link Chunk} body.
 */
public final class MessageWeightedLoadBalancer extends QueueLoadBalancer {

    private static final Logger LOG = LoggerFactory.getLogger(MessageWeightedLoadBalancer.class);

    private final MessageLedger ledger;
    private final ProtocolShares protocols;
    private volatile int lastChosenProcessorIndex = -1;

    public MessageWeightedLoadBalancer(MessageLedger ledger) {
        this(ledger, new ProtocolShares(ledger.table().size()));
    }

    /** {@code protocols} counts each analyzer's messages by the protocol they came in as. */
    public MessageWeightedLoadBalancer(MessageLedger ledger, ProtocolShares protocols) {
        this.ledger = ledger;
        this.protocols = protocols;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        int targets = ledger.table().size();
        if (getProcessors().size() != targets) {
            throw new IllegalStateException("the weight table has " + targets + " targets but the load balancer has "
                    + getProcessors().size() + " processors");
        }
    }

    @Override
    protected AsyncProcessor chooseProcessor(AsyncProcessor[] processors, Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (!(body instanceof Chunk chunk) || chunk.messages() < 1) {
            // returning null makes QueueLoadBalancer fail the exchange instead of guessing a size
            LOG.error("exchange {} carries no chunk of messages ({}); not balancing it", exchange.getExchangeId(), body);
            return null;
        }
        int chosen = ledger.assign(chunk.messages());
        lastChosenProcessorIndex = chosen;
        protocols.balanced(chosen, exchange.getProperty(ProtocolShares.PROPERTY, String.class), chunk.messages());
        return processors[chosen];
    }

    public int getLastChosenProcessorIndex() {
        return lastChosenProcessorIndex;
    }
}
