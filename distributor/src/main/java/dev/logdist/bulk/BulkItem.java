package dev.logdist.bulk;

/**
 * One item of a bulk request: its action ({@code index}, {@code create}, or one refused such as {@code delete}), the
 * index and id it names, and either its document as a native message or why it cannot be taken ({@code errorType},
 * {@code reason}).
 */
record BulkItem(String action, String index, String id, DocumentMapper.Mapped document, String errorType, String reason) {

    static BulkItem taken(String action, String index, String id, DocumentMapper.Mapped document) {
        return new BulkItem(action, index, id, document, null, null);
    }

    static BulkItem refused(String action, String index, String id, String errorType, String reason) {
        return new BulkItem(action, index, id, null, errorType, reason);
    }

    boolean isRefused() {
        return errorType != null;
    }
}
