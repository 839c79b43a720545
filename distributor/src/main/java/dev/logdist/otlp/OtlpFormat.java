package dev.logdist.otlp;

import java.util.Locale;

/** The two encodings of OTLP/HTTP, told by the request's media type; the answer goes back in the request's own. */
enum OtlpFormat {
    PROTOBUF("application/x-protobuf"),
    JSON("application/json");

    final String mediaType;

    OtlpFormat(String mediaType) {
        this.mediaType = mediaType;
    }

    /** The format {@code contentType} names (parameters such as a charset ignored), or null for any other type. */
    static OtlpFormat of(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        for (OtlpFormat format : values()) {
            if (format.mediaType.equals(type)) {
                return format;
            }
        }
        return null;
    }
}
