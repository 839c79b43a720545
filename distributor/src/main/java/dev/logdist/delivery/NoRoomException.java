package dev.logdist.delivery;

/** A chunk cannot be kept now (no room, or stopping): the ingest answers 503 with Retry-After and the agent sends again. */
public final class NoRoomException extends RuntimeException {

    public NoRoomException(String message) {
        super(message, null, false, false);
    }
}
