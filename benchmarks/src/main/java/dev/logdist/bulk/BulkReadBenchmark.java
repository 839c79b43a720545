package dev.logdist.bulk;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link BulkReader#read} on bench/run.sh's bulk request (flat documents with an index action each), on one thread: the
 * translation a bulk request costs before its messages meet the native path, in microseconds per request.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BulkReadBenchmark {

    @Param({"10", "100"})
    public int documents;

    private BulkReader reader;
    private byte[] body;

    @Setup
    public void setUp() {
        // the defaults of application.properties
        reader = new BulkReader(32, 131_072, 10_000, 64);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < documents; i++) {
            b.append("{\"index\":{\"_index\":\"bench\"}}\n").append(String.format("{\"@timestamp\":\"2026-11-25T10:00:00.%03dZ\","
                    + "\"log.level\":\"INFO\",\"host.name\":\"web-1\",\"service.name\":\"checkout\",\"message\":\"payment"
                    + " gateway timeout after 3000 ms\",\"trace.id\":\"a1b2c3\",\"region\":\"eu-west-1\"}\n", i % 1000));
        }
        body = b.toString().getBytes(StandardCharsets.UTF_8);
        List<BulkItem> items = reader.read(body, null, "2026-11-25T10:00:00Z");
        if (items.size() != documents || items.stream().anyMatch(BulkItem::isRefused)) {
            throw new IllegalStateException("the benchmark request does not map");
        }
    }

    @Benchmark
    public List<BulkItem> read() {
        return reader.read(body, null, "2026-11-25T10:00:00Z");
    }
}
