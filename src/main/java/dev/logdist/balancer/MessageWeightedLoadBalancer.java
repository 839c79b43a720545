package dev.logdist.balancer;

import dev.logdist.model.Chunk;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.processor.loadbalancer.QueueLoadBalancer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each exchange to the target whose share of <em>messages</em> (not exchanges) lags most urgently, reading the
 * message count from the {@link Chunk} body, or from the {@link #MESSAGE_COUNT} exchange property for other bodies.
 */
public final class MessageWeightedLoadBalancer extends QueueLoadBalancer {

    /** Exchange property holding the number of log messages the exchange carries. */
    public static final String MESSAGE_COUNT = "logdist.messageCount";

    private static final Logger LOG = LoggerFactory.getLogger(MessageWeightedLoadBalancer.class);

    private final MessageLedger ledger;
    private volatile int lastChosenProcessorIndex = -1;

    public MessageWeightedLoadBalancer(MessageLedger ledger) {
        this.ledger = ledger;
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
        Integer messages = exchange.getMessage().getBody() instanceof Chunk chunk ? Integer.valueOf(chunk.messages())
                : exchange.getProperty(MESSAGE_COUNT, Integer.class);
        if (messages == null || messages < 1) {
            // returning null makes QueueLoadBalancer fail the exchange instead of guessing a size
            LOG.error("exchange {} has no valid {} property ({}); not balancing it", exchange.getExchangeId(), MESSAGE_COUNT, messages);
            return null;
        }
        int chosen = ledger.assign(messages);
        lastChosenProcessorIndex = chosen;
        return processors[chosen];
    }

    public int getLastChosenProcessorIndex() {
        return lastChosenProcessorIndex;
    }
}
