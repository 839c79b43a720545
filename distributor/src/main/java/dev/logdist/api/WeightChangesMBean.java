package dev.logdist.api;

/** The JMX face of run-time weight changes, under {@code dev.logdist:type=Weights} (visible in hawtio). */
public interface WeightChangesMBean {

    /** Sets an analyzer's relative weight (> 0); returns its new target share. */
    double setWeight(String analyzer, double weight);

    /** The current weights, as {@code name@weight, ...}. */
    String getWeights();
}
