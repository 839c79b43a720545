package dev.logdist.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logdist.model.Chunk;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A send route like {@code send-<name>} in front of a fake analyzer that answers by what a request holds: a refused
 * batch is bisected down to the refused chunks, a batch too large halved until it fits; every chunk is counted once.
 */
class BatchVerdictsTest {

    private static final String SEND = "direct:send-x";

    @TempDir
    Path data;
    private final DefaultCamelContext context = new DefaultCamelContext();
    private final AtomicInteger requests = new AtomicInteger();
    private final DeliveryStats stats = new DeliveryStats(List.of("x"));
    private Function<List<Chunk>, Integer> analyzer = batch -> 200;

    @AfterEach
    void stop() {
        context.stop();
    }

    private ProducerTemplate start() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(SEND).errorHandler(noErrorHandler())
                        .process(AnalyzerRequests::toRequest)
                        .process(e -> {
                            requests.incrementAndGet();
                            int status = analyzer.apply(AnalyzerRequests.batchOf(e));
                            e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
                            e.getMessage().setBody("{\"status\":" + status + "}");
                        })
                        .process(AnalyzerRequests::judge)
                        .process(new BatchVerdicts(getContext().createProducerTemplate(), SEND));
            }
        });
        context.start();
        return context.createProducerTemplate();
    }

    private Exchange deliver(List<Chunk> batch) throws Exception {
        Exchange result = start().send(SEND, e -> {
            e.setProperty(AnalyzerRequests.ANALYZER, 0);
            e.getMessage().setBody(batch);
        });
        if (result.getException() == null) {
            new Completions(List.of("x"), stats, new RejectedParking(data), new DeliveryLatency(new SimpleMeterRegistry(),
                    List.of("x"))).completed(result);
        }
        return result;
    }

    private static List<Chunk> chunks(int n, int bytes) {
        List<Chunk> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Chunk("c-" + i, 2, ("{\"packetId\":\"c-" + i + "\",\"pad\":\"" + "x".repeat(bytes) + "\"}")
                    .getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    private List<String> parked() throws Exception {
        Path dir = data.resolve("rejected/x");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        return new RejectedParking(data).parked("x").stream().map(p -> p.chunk().chunkId()).sorted().toList();
    }

    @Test
    void should_park_only_the_refused_chunks_of_a_batch_and_deliver_the_rest_in_o_k_log_n_requests() throws Exception {
        Set<String> refused = Set.of("c-17", "c-150");
        analyzer = batch -> batch.stream().anyMatch(c -> refused.contains(c.chunkId())) ? 400 : 200;

        Exchange result = deliver(chunks(200, 10));

        assertThat(result.getException()).isNull();
        assertThat(parked()).containsExactly("c-150", "c-17");
        assertThat(stats.of(0).packets()).isEqualTo(198);
        assertThat(stats.of(0).messages()).isEqualTo(396);
        assertThat(stats.of(0).rejected()).isEqualTo(2);
        // the whole, then per halving at most two requests for each refused part: 1 + 2 * 2 * ceil(log2 200)
        assertThat(requests.get()).isLessThanOrEqualTo(1 + 2 * 2 * 8);
        assertThat(new RejectedParking(data).count("x")).isEqualTo(2);
        assertThat(Files.readString(new RejectedParking(data).parked("x").get(0).reason()))
                .startsWith("HTTP 400\nchunk c-").contains("{\"status\":400}");
    }

    @Test
    void should_halve_a_batch_too_large_until_it_fits_and_park_a_chunk_too_large_on_its_own() throws Exception {
        List<Chunk> batch = new ArrayList<>(chunks(64, 100));
        batch.set(40, new Chunk("huge", 7, ("{\"packetId\":\"huge\",\"pad\":\"" + "y".repeat(5000) + "\"}")
                .getBytes(StandardCharsets.UTF_8)));
        analyzer = b -> b.stream().mapToInt(c -> c.json().length).sum() > 1500 ? 413 : 200;

        Exchange result = deliver(batch);

        assertThat(result.getException()).isNull();
        assertThat(parked()).containsExactly("huge");
        assertThat(Files.readString(new RejectedParking(data).parked("x").get(0).reason())).startsWith("HTTP 413");
        assertThat(stats.of(0).packets()).isEqualTo(63);
        assertThat(stats.of(0).rejected()).isEqualTo(1);
    }

    @Test
    void should_fail_the_whole_batch_and_count_none_of_it_when_a_part_fails() throws Exception {
        analyzer = batch -> {
            if (requests.get() > 3) {
                throw new AnalyzerUnavailableException("HTTP 503 from the fake");
            }
            return batch.stream().anyMatch(c -> c.chunkId().equals("c-5")) ? 422 : 200;
        };

        Exchange result = deliver(chunks(32, 10));

        assertThat(result.getException()).isInstanceOf(AnalyzerUnavailableException.class).hasMessageContaining("503");
        assertThat(AnalyzerRequests.batchOf(result)).as("the caller gets the whole batch back").hasSize(32);
        assertThat(stats.of(0).packets() + stats.of(0).rejected()).isZero();
        assertThat(parked()).isEmpty();
    }

    @Test
    void should_take_a_batch_answered_2xx_in_one_request() throws Exception {
        Exchange result = deliver(chunks(50, 10));

        assertThat(result.getException()).isNull();
        assertThat(requests.get()).isEqualTo(1);
        assertThat(stats.of(0).packets()).isEqualTo(50);
        assertThat(parked()).isEmpty();
    }

    @Test
    void should_tell_the_data_refused_from_a_request_too_large_and_from_a_way_that_is_broken() {
        for (int status : new int[] {200, 202, 204}) {
            assertThat(AnalyzerRequests.verdictOf(status)).as("%d", status).isEqualTo(AnalyzerRequests.Verdict.TAKEN);
        }
        assertThat(AnalyzerRequests.verdictOf(413)).isEqualTo(AnalyzerRequests.Verdict.TOO_LARGE);
        for (int status : new int[] {400, 409, 422, 451}) {
            assertThat(AnalyzerRequests.verdictOf(status)).as("%d", status).isEqualTo(AnalyzerRequests.Verdict.REFUSED);
        }
        for (int status : new int[] {0, 101, 301, 302, 307, 401, 403, 404, 405, 407, 408, 421, 425, 426, 429, 500, 502, 503, 504}) {
            assertThat(AnalyzerRequests.verdictOf(status)).as("%d", status).isEqualTo(AnalyzerRequests.Verdict.UNAVAILABLE);
        }
    }
}
