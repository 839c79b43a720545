package dev.logdist.bulk;

/** The index a bulk path names: {@code /{index}/_bulk} or {@code /es/{index}/_bulk}; none for {@code /_bulk} and {@code /es/_bulk}. */
final class BulkPaths {

    /** The prefix the Elasticsearch API is served under, besides the root. */
    static final String PREFIX = "/es";

    private BulkPaths() {
    }

    /** The index named by {@code path}, or null; {@code /es/_bulk} is the prefix's bulk path, not an index "es". */
    static String index(String path) {
        if (path == null) {
            return null;
        }
        String p = path.startsWith(PREFIX + "/") ? path.substring(PREFIX.length()) : path;
        if (!p.endsWith("/_bulk")) {
            return null;
        }
        String index = p.substring(0, p.length() - "/_bulk".length());
        if (index.startsWith("/")) {
            index = index.substring(1);
        }
        return index.isEmpty() || index.contains("/") ? null : java.net.URLDecoder.decode(index,
                java.nio.charset.StandardCharsets.UTF_8);
    }
}
