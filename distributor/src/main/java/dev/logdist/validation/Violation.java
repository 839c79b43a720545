package dev.logdist.validation;

/** One reason a packet was rejected: where ({@code messages[3].level}) and what is wrong there. */
public record Violation(String path, String problem) {
}
