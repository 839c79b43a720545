package dev.logdist.bulk;

/** Where every bulk answer is counted (the ingest meters): its status, the messages taken, when ingest began or null. */
@FunctionalInterface
public interface Answered {

    void answered(int status, int acceptedMessages, Long startNanos);
}
