package dev.logdist.benchmarks;

import dev.logdist.balancer.MessageLedger;
import dev.logdist.balancer.ProtocolShares;
import dev.logdist.balancer.WeightTable;
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
 * What {@code MessageWeightedLoadBalancer.chooseProcessor} does per chunk, without the Camel exchange: the ledger's
 * pick ({@link MessageLedger#assign}) and the count by protocol, over four analyzers weighted 4/3/1/2, on one thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BalancerPickBenchmark {

    /** Messages per chunk. */
    @Param({"10"})
    public int chunk;

    private MessageLedger ledger;
    private ProtocolShares protocols;

    @Setup
    public void setUp() {
        ledger = new MessageLedger(WeightTable.of(List.of("a1", "a2", "a3", "a4"), new double[] {4, 3, 1, 2}));
        protocols = new ProtocolShares(4);
    }

    @Benchmark
    public int pick() {
        int chosen = ledger.assign(chunk);
        protocols.balanced(chosen, "native", chunk);
        return chosen;
    }
}
