package dev.logdist.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logdist.delivery.QueueBudget;
import dev.logdist.model.Chunk;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.component.seda.SedaEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChunkBatcherTest {

    private final DefaultCamelContext context = new DefaultCamelContext();
    private final SedaEndpoint seda = context.getEndpoint("seda:batcher-test?size=100", SedaEndpoint.class);
    private final QueueBudget budget = new QueueBudget(1, 1 << 20);

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void should_take_only_what_waits_when_there_is_no_linger() {
        ChunkBatcher batcher = new ChunkBatcher(seda, budget, 0, 10, 1 << 20, 0);
        queue("b");
        queue("c");

        Exchange taken = taken("a");
        batcher.process(taken);

        assertThat(chunkIds(taken)).containsExactly("a", "b", "c");
        assertThat(seda.getQueue()).isEmpty();
    }

    @Test
    void should_wait_within_the_linger_for_chunks_that_arrive_after_the_first() throws Exception {
        ChunkBatcher batcher = new ChunkBatcher(seda, budget, 0, 3, 1 << 20, 60_000);
        Exchange taken = taken("a");

        CompletableFuture<Void> gathering = CompletableFuture.runAsync(() -> batcher.process(taken));
        queue("b");
        queue("c");
        gathering.get(30, TimeUnit.SECONDS); // full at 3 chunks: it does not wait out the minute

        assertThat(chunkIds(taken)).containsExactly("a", "b", "c");
    }

    @Test
    void should_stop_at_the_byte_cap_and_release_what_it_took_from_the_budget() {
        ChunkBatcher batcher = new ChunkBatcher(seda, budget, 0, 10, 20, 0);
        assertThat(budget.tryReserve(0, 30)).isTrue();
        queue("b");
        queue("c");

        Exchange taken = taken("a");
        batcher.process(taken);

        assertThat(chunkIds(taken)).containsExactly("a", "b"); // 10 + 10 bytes reach the 20-byte cap
        assertThat(seda.getQueue()).hasSize(1);
        assertThat(budget.tryReserve(0, (1 << 20) - 10)).as("20 of the 30 reserved bytes were released").isTrue();
    }

    private Exchange taken(String id) {
        Exchange e = new DefaultExchange(context);
        e.getMessage().setBody(chunk(id));
        return e;
    }

    private void queue(String id) {
        assertThat(seda.getQueue().offer(taken(id))).isTrue();
    }

    private static Chunk chunk(String id) {
        return new Chunk(id, 1, "0123456789".getBytes(StandardCharsets.US_ASCII));
    }

    @SuppressWarnings("unchecked")
    private static List<String> chunkIds(Exchange e) {
        Object body = e.getMessage().getBody();
        List<Chunk> batch = body instanceof Chunk one ? List.of(one) : (List<Chunk>) body;
        return batch.stream().map(Chunk::chunkId).toList();
    }
}
