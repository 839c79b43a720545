package dev.logdist.model;

import java.util.Locale;

/**
 * Severity of a log message; input may use any case, and the syslog severity names (RFC 5424) and their common
 * spellings name ours as OpenTelemetry's log data model maps them (its Appendix B: Emergency FATAL, Alert and
 * Critical ERROR3 and ERROR2, Notice INFO2): {@code emerg} and {@code panic} (syslog's old name of it) are FATAL;
 * {@code alert}, {@code crit} and {@code err} are ERROR, since the system still runs; {@code notice} is INFO.
 */
public enum Level {
    TRACE, DEBUG, INFO, WARN, ERROR, FATAL;

    /** What the validator's message lists: every name {@link #parse} takes. */
    public static final String NAMES = "TRACE, DEBUG, INFO, WARN, ERROR, FATAL, or a syslog severity: emerg, alert,"
            + " crit, err, warning, notice, info, debug (also emergency, panic, critical, error, warn, informational)";

    /** The level named by {@code text} in any case, or null when there is none. */
    public static Level parse(String text) {
        return switch (text.toUpperCase(Locale.ROOT)) {
            case "TRACE" -> TRACE;
            case "DEBUG" -> DEBUG;
            case "INFO", "NOTICE", "INFORMATIONAL" -> INFO;
            case "WARN", "WARNING" -> WARN;
            case "ERROR", "ERR", "CRIT", "CRITICAL", "ALERT" -> ERROR;
            case "FATAL", "EMERG", "EMERGENCY", "PANIC" -> FATAL;
            default -> null;
        };
    }
}
