package dev.logdist.model;

import java.util.Locale;

/** Severity of a log message; input may use any case. */
public enum Level {
    TRACE, DEBUG, INFO, WARN, ERROR, FATAL;

    /** The level named by {@code text} in any case, or null when there is none. */
    public static Level parse(String text) {
        return switch (text.toUpperCase(Locale.ROOT)) {
            case "TRACE" -> TRACE;
            case "DEBUG" -> DEBUG;
            case "INFO" -> INFO;
            case "WARN" -> WARN;
            case "ERROR" -> ERROR;
            case "FATAL" -> FATAL;
            default -> null;
        };
    }
}
