package dev.logdist.bulk;

import java.util.List;

/**
 * What a bulk request's answer needs, kept on the exchange between reading the request and answering it: its items,
 * and for each refused one the Elasticsearch error type and reason.
 */
final class BulkOutcome {

    private final List<BulkItem> items;
    private final String[] errorType;
    private final String[] reason;
    private int refused;

    BulkOutcome(List<BulkItem> items) {
        this.items = items;
        this.errorType = new String[items.size()];
        this.reason = new String[items.size()];
        for (int i = 0; i < items.size(); i++) {
            BulkItem item = items.get(i);
            if (item.isRefused()) {
                refuse(i, item.errorType(), item.reason());
            }
        }
    }

    void refuse(int item, String type, String why) {
        if (errorType[item] == null) {
            refused++;
        }
        errorType[item] = type;
        reason[item] = why;
    }

    List<BulkItem> items() {
        return items;
    }

    boolean refused(int item) {
        return errorType[item] != null;
    }

    String errorType(int item) {
        return errorType[item];
    }

    String reason(int item) {
        return reason[item];
    }

    /** The first refused item, or -1. */
    int firstRefused() {
        for (int i = 0; i < errorType.length; i++) {
            if (errorType[i] != null) {
                return i;
            }
        }
        return -1;
    }

    /** How many items are taken (every item not refused). */
    int taken() {
        return items.size() - refused;
    }
}
