package dev.logdist.delivery;

/** An analyzer answered in a way that says "not now" (5xx or 429): a failure for its circuit breaker. */
public final class AnalyzerUnavailableException extends RuntimeException {

    public AnalyzerUnavailableException(String message) {
        super(message, null, false, false);
    }
}
