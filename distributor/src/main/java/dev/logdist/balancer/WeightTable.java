package dev.logdist.balancer;

import java.util.List;

/** An immutable table of target names and relative weights, normalised to shares that sum to 1. */
public record WeightTable(List<String> names, double[] weights, double[] shares) {

    public WeightTable {
        names = List.copyOf(names);
        weights = weights.clone();
        shares = shares.clone();
    }

    /** Builds a table from relative weights; they must be finite and greater than zero. */
    public static WeightTable of(List<String> names, double[] weights) {
        if (names.isEmpty() || names.size() != weights.length) {
            throw new IllegalArgumentException("need one weight per target, got " + names.size()
                    + " names and " + weights.length + " weights");
        }
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            if (!(weights[i] > 0) || Double.isInfinite(weights[i])) {
                throw new IllegalArgumentException("weight of '" + names.get(i) + "' must be a number > 0, got " + weights[i]);
            }
            sum += weights[i];
        }
        double[] shares = new double[weights.length];
        for (int i = 0; i < weights.length; i++) {
            shares[i] = weights[i] / sum;
        }
        return new WeightTable(names, weights, shares);
    }

    public int size() {
        return names.size();
    }

    public double share(int index) {
        return shares[index];
    }

    /** A copy of this table with one weight replaced. */
    public WeightTable withWeight(int index, double weight) {
        double[] changed = weights.clone();
        changed[index] = weight;
        return of(names, changed);
    }
}
