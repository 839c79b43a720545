package dev.logdist.delivery;

import java.io.IOException;

/** A delivery whose whole exchange with the analyzer did not end within the delivery timeout, and was aborted. */
public final class DeliveryDeadlineException extends IOException {

    public DeliveryDeadlineException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether {@code failure} is, or was caused by, a delivery that ran out its deadline. */
    public static boolean isCause(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
            if (t instanceof DeliveryDeadlineException) {
                return true;
            }
        }
        return false;
    }
}
