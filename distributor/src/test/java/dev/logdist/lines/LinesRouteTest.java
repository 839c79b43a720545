package dev.logdist.lines;

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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /logs} with JSON lines and arrays of records, and the per-message mode, in process with mock analyzers. */
@CamelMainTest(configurationClasses = DistributorConfiguration.class,
        properties = {
            "distributor.analyzers=heavy@3=http://127.0.0.1:1/logs,light@1=http://127.0.0.1:2/logs",
            "distributor.port=0",
            "distributor.data-dir=target/lines-route-test"
        },
        replaceRouteFromWith = {"ingest-http=direct:ingest"},
        mockEndpointsAndSkip = "http*")
class LinesRouteTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NATIVE_MESSAGE = "{\"timestamp\":\"2026-11-25T10:00:00Z\",\"level\":\"INFO\",\"message\":\"hello\"}";

    @org.apache.camel.EndpointInject
    ProducerTemplate template;

    @org.apache.camel.BeanInject
    CamelContext context;

    static {
        org.apache.camel.util.FileUtil.removeDir(new java.io.File("target/lines-route-test"));
    }

    private final List<MockEndpoint> analyzers = new ArrayList<>();

    @BeforeEach
    void analyzers_answer_200() {
        analyzers.clear();
        for (String port : new String[] {"1", "2"}) {
            MockEndpoint mock = context.getEndpoints().stream()
                    .filter(e -> e instanceof MockEndpoint && e.getEndpointUri().contains("127.0.0.1:" + port + "/logs"))
                    .map(MockEndpoint.class::cast).findFirst().orElseThrow();
            mock.reset();
            mock.whenAnyExchangeReceived(e -> e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200));
            analyzers.add(mock);
        }
    }

    private Exchange post(String contentType, String query, String agent, byte[] body) {
        return template.request("direct:ingest", e -> {
            Map<String, Object> headers = new HashMap<>();
            headers.put(Exchange.HTTP_METHOD, "POST");
            headers.put(Exchange.CONTENT_TYPE, contentType);
            if (query != null) {
                headers.put(Exchange.HTTP_QUERY, query);
            }
            if (agent != null) {
                headers.put("X-Agent-Id", agent);
            }
            e.getMessage().setHeaders(headers);
            e.getMessage().setBody(body);
        });
    }

    private Exchange post(String contentType, String query, String agent, String body) {
        return post(contentType, query, agent, body.getBytes(StandardCharsets.UTF_8));
    }

    private static int status(Exchange answer) {
        return answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
    }

    private static JsonNode body(Exchange answer) throws Exception {
        return JSON.readTree(answer.getMessage().getBody(String.class));
    }

    /** Every message the analyzer mocks received, each packet of a coalesced {"packets": [...]} body counted. */
    private List<JsonNode> delivered() throws Exception {
        List<JsonNode> messages = new ArrayList<>();
        for (MockEndpoint mock : analyzers) {
            for (Exchange e : mock.getReceivedExchanges()) {
                JsonNode body = JSON.readTree(e.getMessage().getBody(byte[].class));
                for (JsonNode packet : body.has("packets") ? body.get("packets") : List.of(body)) {
                    packet.get("messages").forEach(m -> messages.add(((com.fasterxml.jackson.databind.node.ObjectNode) m)
                            .put("agentId", packet.get("agentId").asText())));
                }
            }
        }
        return messages;
    }

    private void awaitDelivered(int messages) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> delivered().size() >= messages);
    }

    @Test
    void should_take_the_good_lines_and_refuse_the_bad_ones_by_index() throws Exception {
        String body = "\uFEFF{\"timestamp\":\"2026-12-01T10:00:00Z\",\"message\":\"one\",\"level\":\"emerg\"}\r\n"
                + "\r\n"
                + "{\"message\":\"two\",\"level\":\"loud\"}\n"
                + "   \n"
                + "{\"date\":1796119200.25,\"log\":\"three\",\"severity\":\"warning\",\"host\":\"h1\"}\n"
                + "this is not json\n"
                + "[1,2]\n"
                + "{\"msg\":\"four\",\"program\":\"cron\",\"pid\":42}";
        Exchange answer = post("application/x-ndjson", null, "syslog-ng-1", body);
        assertThat(status(answer)).as(answer.getMessage().getBody(String.class)).isEqualTo(202);
        JsonNode ack = body(answer);
        assertThat(ack.get("accepted").asInt()).isEqualTo(3);
        assertThat(ack.get("refused").findValuesAsText("index")).containsExactly("1", "3", "4");
        assertThat(ack.at("/refused/0/violations/0/path").asText()).isEqualTo("[1].level");
        assertThat(ack.at("/refused/1/violations/0/problem").asText()).startsWith("is not JSON");
        awaitDelivered(3);
        List<JsonNode> messages = delivered();
        assertThat(messages).extracting(m -> m.get("message").asText()).containsExactlyInAnyOrder("one", "three", "four");
        assertThat(messages).allSatisfy(m -> assertThat(m.get("agentId").asText()).isEqualTo("syslog-ng-1"));
        assertThat(messages).extracting(m -> m.get("level").asText()).containsExactlyInAnyOrder("FATAL", "WARN", "INFO");
    }

    @Test
    void should_take_a_batch_whole_or_not_at_all_when_asked() throws Exception {
        String body = "{\"message\":\"fine\"}\n{\"message\":\"\"}\n";
        Exchange answer = post("application/x-ndjson", "partial=false", "agent-w", body);
        assertThat(status(answer)).isEqualTo(400);
        assertThat(body(answer).get("violations").findValuesAsText("path")).containsExactly("[1].message");
        assertThat(body(answer).get("error").asText()).contains("1 of 2 records", "nothing was accepted");
        for (MockEndpoint mock : analyzers) {
            mock.expectedMessageCount(0);
            mock.assertIsSatisfied(200);
        }
    }

    @Test
    void should_answer_400_when_no_line_is_valid() throws Exception {
        Exchange answer = post("application/x-ndjson", null, null, "nope\n{\"level\":\"info\"}\n");
        assertThat(status(answer)).isEqualTo(400);
        assertThat(body(answer).get("violations").findValuesAsText("path")).containsExactly("[0]", "[1].message");
        Exchange blank = post("application/x-ndjson", null, null, "\n\r\n  \n");
        assertThat(status(blank)).isEqualTo(400);
    }

    @Test
    void should_take_a_json_array_of_records_and_fluent_bit_lines_sent_as_json() throws Exception {
        Exchange array = post("application/json", null, "vector-1",
                "[{\"timestamp\":\"2026-12-01T10:00:00.5Z\",\"message\":\"a\",\"host\":\"h\"},{\"message\":\"b\"},[{\"message\":\"c\"}]]");
        assertThat(status(array)).isEqualTo(202);
        assertThat(body(array).get("accepted").asInt()).isEqualTo(2);
        assertThat(body(array).get("refused").findValuesAsText("index")).containsExactly("2");
        Exchange fluent = post("application/json", null, "fluent-bit-1",
                "{\"date\":1796119200.5,\"log\":\"x\"}\n{\"date\":1796119201.5,\"log\":\"y\"}\n");
        assertThat(status(fluent)).as(fluent.getMessage().getBody(String.class)).isEqualTo(202);
        assertThat(body(fluent).get("accepted").asInt()).isEqualTo(2);
        assertThat(body(fluent).has("refused")).isFalse();
        awaitDelivered(4);
        assertThat(delivered()).extracting(m -> m.get("agentId").asText())
                .containsExactlyInAnyOrder("vector-1", "vector-1", "fluent-bit-1", "fluent-bit-1");
    }

    @Test
    void should_name_the_agent_by_its_address_without_a_header() throws Exception {
        Exchange answer = template.request("direct:ingest", e -> {
            e.getMessage().setHeader(Exchange.HTTP_METHOD, "POST");
            e.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/x-ndjson");
            e.setProperty(dev.logdist.ingest.IngestProcessor.PEER, "192.0.2.7");
            e.getMessage().setBody("{\"message\":\"m\"}".getBytes(StandardCharsets.UTF_8));
        });
        assertThat(status(answer)).isEqualTo(202);
        awaitDelivered(1);
        assertThat(delivered().get(0).get("agentId").asText()).isEqualTo("192.0.2.7");
    }

    @Test
    void should_take_a_native_packet_message_by_message_when_asked() throws Exception {
        String packet = "{\"agentId\":\"a\",\"packetId\":\"each-1\",\"messages\":[" + NATIVE_MESSAGE
                + ",{\"timestamp\":\"2026-11-25T10:00:00Z\",\"level\":\"LOUD\",\"message\":\"x\"}," + NATIVE_MESSAGE + "]}";
        Exchange whole = post("application/json", null, null, packet);
        assertThat(status(whole)).as("whole or nothing by default").isEqualTo(400);
        Exchange each = post("application/json", "partial=true", null, packet);
        assertThat(status(each)).isEqualTo(202);
        JsonNode ack = body(each);
        assertThat(ack.get("packetId").asText()).isEqualTo("each-1");
        assertThat(ack.get("accepted").asInt()).isEqualTo(2);
        assertThat(ack.at("/refused/0/index").asInt()).isEqualTo(1);
        assertThat(ack.at("/refused/0/violations/0/path").asText()).isEqualTo("messages[1].level");
        awaitDelivered(2);
        assertThat(delivered()).hasSize(2);
        Exchange none = post("application/json", "partial=true", null,
                "{\"agentId\":\"a\",\"messages\":[{\"level\":\"INFO\"}]}");
        assertThat(status(none)).as("a packet none of whose messages is valid").isEqualTo(400);
    }

    @Test
    void should_refuse_other_content_types_naming_both() throws Exception {
        Exchange answer = post("text/plain", null, null, "{\"message\":\"m\"}");
        assertThat(status(answer)).isEqualTo(415);
        assertThat(body(answer).get("error").asText()).contains("application/x-ndjson");
    }
}
