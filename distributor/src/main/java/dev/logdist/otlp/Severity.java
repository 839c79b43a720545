package dev.logdist.otlp;

import dev.logdist.model.Level;
import io.opentelemetry.proto.logs.v1.LogRecord;

/**
 * A log record's level: from its {@code severity_number} (the specification's six ranges of four, TRACE 1-4 up to
 * FATAL 21-24); when that is unset or out of range, from its {@code severity_text} when that names a level; else INFO,
 * the level of a record that says nothing, as the OpenTelemetry log bridges treat one.
 */
final class Severity {

    private static final String[] BY_RANGE = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"};

    private Severity() {
    }

    static String level(LogRecord record) {
        int number = record.getSeverityNumberValue();
        if (number >= 1 && number <= 24) {
            return BY_RANGE[(number - 1) / 4];
        }
        String text = record.getSeverityText();
        Level named = text.isEmpty() || text.length() > 16 ? null : Level.parse(text.trim());
        return named == null ? "INFO" : named.name();
    }
}
