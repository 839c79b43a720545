package dev.logdist.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.logdist.DistributorConfiguration;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The bulk route in process, the analyzers' HTTP calls replaced by mocks: per-item answers, exactly the 201s delivered. */
@CamelMainTest(configurationClasses = DistributorConfiguration.class,
        properties = {
            "distributor.analyzers=one@1=http://127.0.0.1:1/logs",
            "distributor.port=0",
            "distributor.data-dir=target/bulk-route-test"
        },
        replaceRouteFromWith = {"bulk-http=direct:bulk"},
        mockEndpointsAndSkip = "http*")
class BulkRouteTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @org.apache.camel.EndpointInject
    ProducerTemplate template;

    @org.apache.camel.BeanInject
    CamelContext context;

    static {
        org.apache.camel.util.FileUtil.removeDir(new java.io.File("target/bulk-route-test"));
    }

    private MockEndpoint analyzer() {
        MockEndpoint mock = context.getEndpoints().stream()
                .filter(e -> e instanceof MockEndpoint && e.getEndpointUri().contains("127.0.0.1:1/logs"))
                .map(MockEndpoint.class::cast).findFirst().orElseThrow();
        mock.whenAnyExchangeReceived(e -> e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200));
        return mock;
    }

    private Exchange post(String body) {
        return post(body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private Exchange post(byte[] body, Map<String, Object> more) {
        return template.request("direct:bulk", e -> {
            Map<String, Object> headers = new HashMap<>();
            headers.put(Exchange.HTTP_METHOD, "POST");
            headers.put(Exchange.CONTENT_TYPE, "application/x-ndjson");
            headers.put(Exchange.HTTP_PATH, "/_bulk");
            headers.put("X-Agent-Id", "shipper-1");
            headers.putAll(more);
            e.getMessage().setHeaders(headers);
            e.getMessage().setBody(body);
        });
    }

    /** The message texts the analyzer mock received, in order. */
    private static List<String> delivered(MockEndpoint mock) throws Exception {
        List<String> texts = new ArrayList<>();
        for (Exchange e : mock.getReceivedExchanges()) {
            JsonNode body = JSON.readTree(e.getMessage().getBody(byte[].class));
            for (JsonNode packet : body.has("packets") ? body.get("packets") : List.of(body)) {
                assertThat(packet.get("agentId").asText()).isEqualTo("shipper-1");
                packet.get("messages").forEach(m -> texts.add(m.get("message").asText()));
            }
        }
        return texts;
    }

    @Test
    void should_answer_each_item_and_deliver_exactly_the_items_answered_201() throws Exception {
        MockEndpoint analyzer = analyzer();
        analyzer.reset();
        String body = "{\"index\":{\"_index\":\"app\"}}\n{\"message\":\"m0\",\"log.level\":\"info\"}\n"
                + "{\"index\":{}}\n{\"message\":\"m1\",\"@timestamp\":\"not a time\"}\n"
                + "{\"create\":{}}\n{\"message\":\"m2\",\"host\":{\"name\":\"web-1\"}}\n"
                + "{\"index\":{}}\n{\"message\":\"   \"}\n"
                + "{\"delete\":{\"_id\":\"x\"}}\n"
                + "{\"index\":{}}\n{\"message\":\"m4\",\"host.name\":\"" + "h".repeat(300) + "\"}\n"
                + "{\"index\":{}}\n{\"message\":\"m5\"}\n";
        Exchange answer = post(body);

        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(200);
        assertThat(answer.getMessage().getHeader("X-Elastic-Product")).isEqualTo("Elasticsearch");
        JsonNode json = JSON.readTree(answer.getMessage().getBody(String.class));
        assertThat(json.get("errors").asBoolean()).isTrue();
        List<Integer> statuses = new ArrayList<>();
        json.get("items").forEach(i -> statuses.add(i.elements().next().get("status").asInt()));
        assertThat(statuses).containsExactly(201, 400, 201, 400, 400, 400, 201);
        assertThat(json.get("items").get(0).get("index").get("_index").asText()).isEqualTo("app");
        assertThat(json.get("items").get(2).has("create")).isTrue();
        assertThat(json.get("items").get(1).get("index").get("error").get("reason").asText()).contains("[@timestamp]");
        assertThat(json.get("items").get(3).get("index").get("error").get("reason").asText()).contains("[message]");
        assertThat(json.get("items").get(5).get("index").get("error").get("reason").asText()).contains("[host.name]");

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> delivered(analyzer).size() >= 3);
        assertThat(delivered(analyzer)).containsExactlyInAnyOrder("m0", "m2", "m5");
        Exchange scrape = new org.apache.camel.support.DefaultExchange(context);
        context.getRegistry().lookupByNameAndType("metrics", dev.logdist.api.Metrics.class).scrape(scrape);
        assertThat(scrape.getMessage().getBody(String.class)).as("messages counted by protocol")
                .containsPattern("logdist_ingest_messages_total\\{protocol=\"bulk\"} [1-9]");
    }

    @Test
    void should_answer_every_item_refused_and_deliver_nothing() throws Exception {
        MockEndpoint analyzer = analyzer();
        analyzer.reset();
        analyzer.expectedMessageCount(0);
        Exchange answer = post("{\"index\":{}}\n{\"message\":\"\"}\n{\"update\":{}}\n{\"doc\":{}}\n");
        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(200);
        JsonNode json = JSON.readTree(answer.getMessage().getBody(String.class));
        assertThat(json.get("errors").asBoolean()).isTrue();
        assertThat(json.get("items").findValues("status")).extracting(JsonNode::asInt).containsExactly(400, 400);
        analyzer.assertIsSatisfied(300);
    }

    @Test
    void should_refuse_a_body_that_is_not_ndjson_with_an_elasticsearch_error() throws Exception {
        Exchange answer = post("this is not json at all");
        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(400);
        JsonNode json = JSON.readTree(answer.getMessage().getBody(String.class));
        assertThat(json.get("status").asInt()).isEqualTo(400);
        assertThat(json.get("error").get("type").asText()).isEqualTo("parse_exception");
        assertThat(json.get("error").get("reason").asText()).contains("line [1]");
    }

    @Test
    void should_take_a_gzip_body_and_the_index_of_the_path() throws Exception {
        MockEndpoint analyzer = analyzer();
        analyzer.reset();
        java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(zipped)) {
            gz.write("{\"index\":{}}\n{\"message\":\"zipped\"}\n".getBytes(StandardCharsets.UTF_8));
        }
        Exchange answer = post(zipped.toByteArray(), Map.of("Content-Encoding", "gzip", Exchange.HTTP_PATH,
                "/es/app-logs/_bulk", Exchange.CONTENT_TYPE, "application/json; charset=utf-8"));
        JsonNode json = JSON.readTree(answer.getMessage().getBody(String.class));
        assertThat(json.get("errors").asBoolean()).as(json.toString()).isFalse();
        assertThat(json.get("items").get(0).get("index").get("_index").asText()).isEqualTo("app-logs");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> delivered(analyzer).contains("zipped"));
    }

    @Test
    void should_refuse_an_agent_id_header_that_is_no_id_naming_the_header() throws Exception {
        Exchange answer = post("{\"index\":{}}\n{\"message\":\"m\"}\n".getBytes(StandardCharsets.UTF_8),
                Map.of("X-Agent-Id", "two words"));
        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(400);
        JsonNode json = JSON.readTree(answer.getMessage().getBody(String.class));
        assertThat(json.get("error").get("reason").asText()).contains("[X-Agent-Id]");
    }
}
