package dev.logdist.delivery;

import dev.logdist.config.DistributorConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.IllegalStateTransitionException;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerOnErrorEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One circuit breaker per analyzer, and the analyzer's state derived from it: UP (closed), DOWN (open) or
 * RECOVERING (half-open, letting a few probes through). Every change is logged once and announced to listeners.
 * <p>
 * Failures open a breaker by their rate, except one: a delivery that ran out its whole deadline (the delivery
 * timeout) while no other delivery to that analyzer succeeded opens it at once. Such an analyzer is stopped, cut off
 * or stuck, and waiting for the rate would take a second round of deadlines, since every consumer is held by one.
 */
public final class AnalyzerHealth {

    private static final Logger LOG = LoggerFactory.getLogger(AnalyzerHealth.class);

    /** What the distributor believes of an analyzer. */
    public enum State { UP, DOWN, RECOVERING }

    private final List<String> names;
    private final CircuitBreaker[] breakers;
    private final List<IntConsumer> listeners = new CopyOnWriteArrayList<>();
    /** Per analyzer, when a delivery to it last succeeded ({@link System#nanoTime()}). */
    private final AtomicLongArray lastSuccess;

    public AnalyzerHealth(List<String> names, DistributorConfig.Breaker settings) {
        this.names = List.copyOf(names);
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .failureRateThreshold(settings.failureRatePercent())
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.window())
                .minimumNumberOfCalls(settings.minimumCalls())
                .waitDurationInOpenState(Duration.ofMillis(settings.openMs()))
                .permittedNumberOfCallsInHalfOpenState(settings.halfOpenCalls())
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .build();
        this.breakers = new CircuitBreaker[names.size()];
        this.lastSuccess = new AtomicLongArray(names.size());
        long longAgo = System.nanoTime() - TimeUnit.DAYS.toNanos(1);
        for (int i = 0; i < breakers.length; i++) {
            int index = i;
            lastSuccess.set(i, longAgo);
            breakers[i] = CircuitBreaker.of("analyzer-" + names.get(i), config);
            breakers[i].getEventPublisher().onSuccess(e -> lastSuccess.set(index, System.nanoTime()));
            breakers[i].getEventPublisher().onError(e -> openIfOutOfTime(index, e));
            breakers[i].getEventPublisher().onStateTransition(e -> {
                LOG.warn("analyzer {} is now {} (breaker {})", names.get(index), stateOf(e.getStateTransition().getToState()),
                        e.getStateTransition());
                listeners.forEach(l -> l.accept(index));
            });
        }
    }

    public CircuitBreaker breaker(int analyzer) {
        return breakers[analyzer];
    }

    public String breakerName(int analyzer) {
        return "breaker-" + names.get(analyzer);
    }

    public State state(int analyzer) {
        return stateOf(breakers[analyzer].getState());
    }

    /** Whether the analyzer may be sent traffic: not DOWN. */
    public boolean available(int analyzer) {
        return state(analyzer) != State.DOWN;
    }

    /** Per analyzer, whether it may be sent traffic now. */
    public boolean[] availability() {
        boolean[] up = new boolean[breakers.length];
        for (int i = 0; i < up.length; i++) {
            up[i] = available(i);
        }
        return up;
    }

    /**
     * A delivery that failed by its deadline, with no delivery to the same analyzer succeeding since it started: the
     * breaker opens now, whether closed or letting a probe through; the breaker counts the failure as any other.
     */
    private void openIfOutOfTime(int analyzer, CircuitBreakerOnErrorEvent failed) {
        if (!DeliveryDeadlineException.isCause(failed.getThrowable())) {
            return;
        }
        long started = System.nanoTime() - failed.getElapsedDuration().toNanos();
        CircuitBreaker breaker = breakers[analyzer];
        CircuitBreaker.State now = breaker.getState();
        if (lastSuccess.get(analyzer) - started > 0
                || (now != CircuitBreaker.State.CLOSED && now != CircuitBreaker.State.HALF_OPEN)) {
            return;
        }
        try {
            breaker.transitionToOpenState();
        } catch (IllegalStateTransitionException raced) {
            // another failure opened it first
        }
    }

    /** Called with the analyzer's index whenever its state changes. */
    public void onChange(IntConsumer listener) {
        listeners.add(listener);
    }

    private static State stateOf(CircuitBreaker.State s) {
        return switch (s) {
            case CLOSED, DISABLED, METRICS_ONLY -> State.UP;
            case HALF_OPEN -> State.RECOVERING;
            case OPEN, FORCED_OPEN -> State.DOWN;
        };
    }
}
