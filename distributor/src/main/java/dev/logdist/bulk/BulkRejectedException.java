package dev.logdist.bulk;

/**
 * A bulk request refused whole, answered as Elasticsearch answers one: {@code {"error": {"type": ..., "reason":
 * ...}, "status": ...}}. Only what makes the request unreadable is refused whole; a bad document is refused as its item.
 */
final class BulkRejectedException extends RuntimeException {

    private final int status;
    private final String type;

    BulkRejectedException(int status, String type, String reason) {
        super(reason, null, false, false);
        this.status = status;
        this.type = type;
    }

    int status() {
        return status;
    }

    String type() {
        return type;
    }
}
