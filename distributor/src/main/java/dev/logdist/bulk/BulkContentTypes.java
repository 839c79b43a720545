package dev.logdist.bulk;

import java.util.Locale;

/**
 * The media types a bulk body may be declared as: shippers send {@code application/x-ndjson} or
 * {@code application/json} (rsyslog adds a charset, the 8.x clients send Elastic's versioned
 * {@code application/vnd.elasticsearch+x-ndjson; compatible-with=8}); none at all is taken as NDJSON too.
 */
final class BulkContentTypes {

    private BulkContentTypes() {
    }

    static void check(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        switch (type) {
            case "application/x-ndjson", "application/json", "text/json", "application/vnd.elasticsearch+x-ndjson",
                 "application/vnd.elasticsearch+json" -> {
                return;
            }
            default -> throw new BulkRejectedException(415, "media_type_header_exception", "Content-Type header ["
                    + contentType + "] is not supported: send application/x-ndjson or application/json");
        }
    }
}
