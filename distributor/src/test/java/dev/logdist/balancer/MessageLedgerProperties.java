package dev.logdist.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The balancer's guarantee, over random weights and chunk sizes: shares hold within the largest chunk. */
class MessageLedgerProperties {

    @Property(tries = 400)
    void every_prefix_stays_within_the_largest_chunk_of_each_share(
            @ForAll("weights") double[] weights,
            @ForAll @Size(min = 1, max = 2000) List<@IntRange(min = 1, max = 1000) Integer> chunks) {
        assertEveryPrefixWithinLargestChunk(weights, chunks);
    }

    @Property(tries = 200)
    void mostly_small_packets_with_rare_huge_ones_stay_within_bound(
            @ForAll("weights") double[] weights,
            @ForAll @IntRange(min = 2, max = 500) int huge,
            @ForAll @Size(min = 1, max = 3000) List<@IntRange(min = 0, max = 19) Integer> pattern) {
        assertEveryPrefixWithinLargestChunk(weights, pattern.stream().map(p -> p == 0 ? huge : 1 + p % 3).toList());
    }

    @Property(tries = 300)
    void many_analyzers_and_tiny_chunks_stay_within_bound(
            @ForAll("weights") double[] weights,
            @ForAll @Size(min = 1, max = 5000) List<@IntRange(min = 1, max = 3) Integer> chunks) {
        assertEveryPrefixWithinLargestChunk(weights, chunks);
    }

    /** Feeds the chunks to a ledger and checks the bound after every one of them, and the ledger's own counts. */
    static void assertEveryPrefixWithinLargestChunk(double[] weights, List<Integer> chunks) {
        MessageLedger ledger = new MessageLedger(table(weights));
        long[] counts = new long[weights.length];
        long total = 0;
        long largest = 0;
        for (int chunk : chunks) {
            counts[ledger.assign(chunk)] += chunk;
            total += chunk;
            largest = Math.max(largest, chunk);
            for (int i = 0; i < weights.length; i++) {
                assertThat(Math.abs(counts[i] - ledger.table().share(i) * total))
                        .as("analyzer %d after %d messages (largest chunk %d)", i, total, largest)
                        .isLessThanOrEqualTo(largest + 1e-6);
            }
        }
        assertThat(ledger.assignedSnapshot()).containsExactly(counts);
    }

    @Provide
    Arbitrary<double[]> weights() {
        Arbitrary<Double> ordinary = Arbitraries.doubles().between(0.01, 10.0);
        Arbitrary<Double> tiny = Arbitraries.doubles().between(0.0001, 0.01).ofScale(6);
        Arbitrary<Double> weight = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, ordinary), net.jqwik.api.Tuple.of(1, tiny));
        return Combinators.combine(Arbitraries.integers().between(1, 12), weight.list().ofSize(12))
                .as((n, list) -> list.subList(0, n).stream().mapToDouble(Double::doubleValue).toArray());
    }

    static WeightTable table(double[] weights) {
        List<String> names = IntStream.range(0, weights.length).mapToObj(i -> "a" + i).toList();
        return WeightTable.of(names, weights);
    }
}
