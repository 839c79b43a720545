package dev.logdist.bulk;

import java.util.Locale;

/** Level names of Elasticsearch documents (ECS log.level: any case, syslog severities too) as native levels. */
final class EsLevels {
    private EsLevels() {
    }

    static String of(String raw) {
        // the names shippers write, as they write them, without a lower-cased copy of each
        return switch (raw) {
            case "INFO", "info" -> "INFO";
            case "WARN", "warn" -> "WARN";
            case "ERROR", "error" -> "ERROR";
            case "DEBUG", "debug" -> "DEBUG";
            default -> anyCase(raw);
        };
    }

    private static String anyCase(String raw) {
        return switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "trace", "finest", "finer" -> "TRACE";
            case "debug", "fine", "7" -> "DEBUG";
            case "info", "information", "informational", "notice", "config", "6", "5" -> "INFO";
            case "warn", "warning", "4" -> "WARN";
            case "error", "err", "severe", "3" -> "ERROR";
            case "fatal", "crit", "critical", "alert", "emerg", "emergency", "panic", "2", "1", "0" -> "FATAL";
            default -> null;
        };
    }
}
