package dev.logdist.bulk;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The few read calls log shippers make of an Elasticsearch cluster before they send, answered as a single 8.x node
 * would: the version ({@code GET /}, which Vector, Filebeat and Logstash read), the license and features (Logstash,
 * Filebeat), the cluster health (Vector's health check), the nodes, and index templates and ILM policies, which every
 * one of them is told exist (a PUT of one is acknowledged and forgotten: the distributor keeps no index).
 */
public final class EsReadCalls {

    /** The header Filebeat, Logstash and the 8.x clients insist on. */
    static final String PRODUCT_HEADER = "X-Elastic-Product";
    static final String PRODUCT = "Elasticsearch";
    /** The version reported: an 8.x that Vector (api_version auto), Filebeat and Logstash 8 accept. */
    static final String VERSION = "8.19.0";
    private static final String BUILD_HASH = "0000000000000000000000000000000000000000";
    private static final String BUILD_DATE = "2025-07-24T00:00:00.000000000Z";
    private static final String CLUSTER = "logdist";

    /** The read calls, each with the paths it is served at below the root and below {@code /es}. */
    public enum Call {
        VERSION(""),
        LICENSE("/_license"),
        XPACK("/_xpack"),
        HEALTH("/_cluster/health"),
        NODES("/_nodes", "/_nodes/{a}", "/_nodes/{a}/{b}"),
        INDEX_TEMPLATE("/_index_template/{name}"),
        TEMPLATE("/_template/{name}"),
        ILM_POLICY("/_ilm/policy/{name}");

        private final String[] paths;

        Call(String... paths) {
            this.paths = paths;
        }

        public String[] paths() {
            return paths.clone();
        }
    }

    /** Answers {@code call} on {@code exchange}; a HEAD gets the status and headers of the GET and no body. */
    public void answer(Exchange exchange, Call call) {
        Message in = exchange.getMessage();
        String method = in.getHeader(Exchange.HTTP_METHOD, String.class);
        String name = in.getHeader("name", String.class);
        String body = "PUT".equalsIgnoreCase(method) ? "{\"acknowledged\":true}" : body(call, name == null ? "" : name);
        BulkAnswers.answer(exchange, 200, "HEAD".equalsIgnoreCase(method) ? "" : body);
    }

    static String body(Call call, String name) {
        String quoted = new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(name));
        return switch (call) {
            case VERSION -> "{\"name\":\"" + CLUSTER + "\",\"cluster_name\":\"" + CLUSTER + "\",\"cluster_uuid\":"
                    + "\"bG9nZGlzdC1kaXN0cmli\",\"version\":{\"number\":\"" + VERSION + "\",\"build_flavor\":\"default\","
                    + "\"build_type\":\"tar\",\"build_hash\":\"" + BUILD_HASH + "\",\"build_date\":\"" + BUILD_DATE + "\","
                    + "\"build_snapshot\":false,\"lucene_version\":\"9.12.2\",\"minimum_wire_compatibility_version\":"
                    + "\"7.17.0\",\"minimum_index_compatibility_version\":\"7.0.0\"},\"tagline\":\"You Know, for Search\"}";
            case LICENSE -> "{\"license\":{\"status\":\"active\",\"uid\":\"00000000-0000-0000-0000-000000000000\","
                    + "\"type\":\"basic\",\"issue_date\":\"2025-07-24T00:00:00.000Z\",\"issue_date_in_millis\":"
                    + "1753315200000,\"max_nodes\":1000,\"max_resource_units\":null,\"issued_to\":\"" + CLUSTER + "\","
                    + "\"issuer\":\"elasticsearch\",\"start_date_in_millis\":-1}}";
            case XPACK -> "{\"build\":{\"hash\":\"" + BUILD_HASH + "\",\"date\":\"" + BUILD_DATE + "\"},\"license\":"
                    + "{\"uid\":\"00000000-0000-0000-0000-000000000000\",\"type\":\"basic\",\"mode\":\"basic\","
                    + "\"status\":\"active\"},\"features\":{\"ilm\":{\"available\":true,\"enabled\":true}}}";
            case HEALTH -> "{\"cluster_name\":\"" + CLUSTER + "\",\"status\":\"green\",\"timed_out\":false,"
                    + "\"number_of_nodes\":1,\"number_of_data_nodes\":1,\"active_primary_shards\":0,\"active_shards\":0,"
                    + "\"relocating_shards\":0,\"initializing_shards\":0,\"unassigned_shards\":0,"
                    + "\"number_of_pending_tasks\":0,\"active_shards_percent_as_number\":100.0}";
            case NODES -> "{\"_nodes\":{\"total\":1,\"successful\":1,\"failed\":0},\"cluster_name\":\"" + CLUSTER + "\","
                    + "\"nodes\":{\"" + CLUSTER + "\":{\"name\":\"" + CLUSTER + "\",\"version\":\"" + VERSION + "\","
                    + "\"roles\":[\"data\",\"ingest\",\"master\"]}}}";
            case INDEX_TEMPLATE -> "{\"index_templates\":[{\"name\":\"" + quoted + "\",\"index_template\":"
                    + "{\"index_patterns\":[\"" + quoted + "-*\"],\"composed_of\":[],\"template\":{}}}]}";
            case TEMPLATE -> "{\"" + quoted + "\":{\"order\":0,\"index_patterns\":[\"" + quoted + "-*\"],"
                    + "\"settings\":{},\"mappings\":{},\"aliases\":{}}}";
            case ILM_POLICY -> "{\"" + quoted + "\":{\"version\":1,\"modified_date\":\"2025-07-24T00:00:00.000Z\","
                    + "\"policy\":{\"phases\":{\"hot\":{\"min_age\":\"0ms\",\"actions\":{}}}}}}";
        };
    }
}
