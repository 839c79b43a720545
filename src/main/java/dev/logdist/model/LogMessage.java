package dev.logdist.model;

import java.util.Map;

/** One validated log message; the timestamp keeps the ISO-8601 text the agent sent. */
public record LogMessage(String timestamp, Level level, String source, String service, String message,
                         Map<String, String> attributes) {
}
