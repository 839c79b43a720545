package dev.logdist.benchmarks;

import dev.logdist.config.DistributorConfig.Limits;
import dev.logdist.model.LogPacket;
import dev.logdist.validation.JsonGuard;
import dev.logdist.validation.PacketParser;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link PacketParser#parse} on packets of 1 to 1,000 messages, on one thread (so per core), with the production
 * limits. Besides the packets per microsecond JMH reports the auxiliary counter {@code bytes}: the body bytes
 * validated per microsecond, that is MB/s (decimal) per core.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PacketParserBenchmark {

    @Param({"1", "10", "100", "1000"})
    public int messages;

    /** {@code typical}: bench/run.sh's packet; {@code attributes}: the same with three attributes per message. */
    @Param({"typical", "attributes"})
    public String shape;

    private PacketParser parser;
    private byte[] body;

    @Setup
    public void setUp() {
        // the defaults of application.properties
        parser = new PacketParser(new Limits(16 << 20, 10_000, 65_536, 64, 500), new JsonGuard(32, 131_072));
        body = Packets.typical(messages, shape.equals("attributes"));
        if (parser.parse(body).messageCount() != messages) {
            throw new IllegalStateException("the benchmark packet does not validate");
        }
    }

    /** What was validated: {@code bytes} per microsecond is MB/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Validated {
        public long bytes;

        @Setup(Level.Iteration)
        public void clear() {
            bytes = 0;
        }
    }

    @Benchmark
    public LogPacket parse(Validated validated) {
        LogPacket packet = parser.parse(body);
        validated.bytes += body.length;
        return packet;
    }
}
