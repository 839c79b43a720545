package dev.logdist.delivery;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** How long each analyzer takes to answer a delivery, as the {@code logdist_delivery_duration} histogram. */
public final class DeliveryLatency {

    private final Timer[] timers;

    public DeliveryLatency(MeterRegistry registry, List<String> names) {
        timers = new Timer[names.size()];
        for (int i = 0; i < timers.length; i++) {
            timers[i] = Timer.builder("logdist_delivery_duration").description("time an analyzer took to answer a delivery")
                    .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofSeconds(30)).tag("analyzer", names.get(i)).register(registry);
        }
    }

    public void record(int analyzer, long nanos) {
        timers[analyzer].record(nanos, TimeUnit.NANOSECONDS);
    }
}
