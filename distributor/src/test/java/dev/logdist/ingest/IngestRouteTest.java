package dev.logdist.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.logdist.DistributorConfiguration;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;

/** The ingest and delivery routes in process, with the HTTP calls to analyzers replaced by mocks. */
@CamelMainTest(configurationClasses = DistributorConfiguration.class,
        properties = {
            "distributor.analyzers=heavy@3=http://127.0.0.1:1/logs,light@1=http://127.0.0.1:2/logs",
            "distributor.port=0",
            "distributor.data-dir=target/ingest-route-test"
        },
        replaceRouteFromWith = {"ingest-http=direct:ingest"},
        mockEndpointsAndSkip = "http*")
class IngestRouteTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MESSAGE = "{\"timestamp\":\"2026-11-25T10:00:00Z\",\"level\":\"INFO\",\"message\":\"hello\"}";

    @org.apache.camel.EndpointInject
    ProducerTemplate template;

    @org.apache.camel.BeanInject
    CamelContext context;

    static {
        // a spool left by an earlier run would be replayed into this one's mocks
        org.apache.camel.util.FileUtil.removeDir(new java.io.File("target/ingest-route-test"));
    }

    /** The mock standing for an analyzer; it answers 200 as an analyzer that took the chunk would. */
    private MockEndpoint analyzer(String port) {
        MockEndpoint mock = context.getEndpoints().stream()
                .filter(e -> e instanceof MockEndpoint && e.getEndpointUri().contains("127.0.0.1:" + port + "/logs"))
                .map(MockEndpoint.class::cast).findFirst().orElseThrow();
        mock.whenAnyExchangeReceived(e -> e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200));
        return mock;
    }

    private Exchange post(String body, Map<String, Object> headers) {
        return template.request("direct:ingest", e -> {
            e.getMessage().setHeaders(new java.util.HashMap<>(headers));
            e.getMessage().setBody(body.getBytes(StandardCharsets.UTF_8));
        });
    }

    private static Map<String, Object> jsonPost() {
        return Map.of(Exchange.HTTP_METHOD, "POST", Exchange.CONTENT_TYPE, "application/json",
                "Authorization", "Bearer secret", "X-Agent-Header", "leak?");
    }

    /** Packets an analyzer mock received, counting each packet of a coalesced {"packets": [...]} body. */
    private static int packetsIn(MockEndpoint mock) throws Exception {
        int n = 0;
        for (Exchange e : mock.getReceivedExchanges()) {
            JsonNode body = JSON.readTree(e.getMessage().getBody(byte[].class));
            n += body.has("packets") ? body.get("packets").size() : 1;
        }
        return n;
    }

    @Test
    void should_deliver_by_message_weight_with_only_a_json_content_type() throws Exception {
        MockEndpoint heavy = analyzer("1");
        MockEndpoint light = analyzer("2");
        heavy.allMessages().header("Authorization").isNull();
        heavy.allMessages().header("X-Agent-Header").isNull();
        heavy.allMessages().header(Exchange.CONTENT_TYPE).isEqualTo("application/json");
        light.allMessages().header("Authorization").isNull();

        for (int i = 0; i < 8; i++) {
            Exchange answer = post("{\"agentId\":\"a\",\"packetId\":\"p" + i + "\",\"messages\":[" + MESSAGE + "]}", jsonPost());
            assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(202);
            JsonNode body = JSON.readTree(answer.getMessage().getBody(byte[].class));
            assertThat(body.get("packetId").asText()).isEqualTo("p" + i);
            assertThat(body.get("accepted").asInt()).isEqualTo(1);
            assertThat(answer.getMessage().getHeader("Authorization")).isNull();
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> packetsIn(heavy) + packetsIn(light) == 8);
        assertThat(packetsIn(heavy)).isEqualTo(6);
        assertThat(packetsIn(light)).isEqualTo(2);
        MockEndpoint.assertIsSatisfied(context);
        byte[] sent = heavy.getReceivedExchanges().get(0).getMessage().getBody(byte[].class);
        JsonNode first = JSON.readTree(sent);
        JsonNode packet = first.has("packets") ? first.get("packets").get(0) : first;
        assertThat(packet.get("messages").get(0).get("message").asText()).isEqualTo("hello");
    }

    @Test
    void should_answer_400_with_violations_and_deliver_nothing() throws Exception {
        MockEndpoint heavy = analyzer("1");
        MockEndpoint light = analyzer("2");
        heavy.reset();
        light.reset();
        heavy.expectedMessageCount(0);
        light.expectedMessageCount(0);

        Exchange answer = post("{\"agentId\":\"a\",\"messages\":[" + MESSAGE + ",{\"level\":\"INFO\"}]}", jsonPost());
        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(400);
        assertThat(answer.getMessage().getHeader(Exchange.CONTENT_TYPE)).isEqualTo("application/json");
        JsonNode body = JSON.readTree(answer.getMessage().getBody(byte[].class));
        List<String> paths = body.get("violations").findValuesAsText("path");
        assertThat(paths).containsExactly("messages[1].timestamp", "messages[1].message");
        heavy.assertIsSatisfied(200);
        light.assertIsSatisfied(200);
    }

    @Test
    void should_retry_a_failed_delivery_and_mark_its_journal_record_done() throws Exception {
        MockEndpoint heavy = analyzer("1");
        heavy.reset();
        heavy.whenExchangeReceived(1, e -> {
            throw new java.net.ConnectException("Connection refused (first attempt)");
        });
        heavy.whenExchangeReceived(2, e -> e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200));
        heavy.expectedMessageCount(2);

        Exchange answer = post("{\"agentId\":\"a\",\"packetId\":\"retry-1\",\"messages\":[" + MESSAGE + "]}", jsonPost());
        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(202);
        heavy.assertIsSatisfied(10_000);
        dev.logdist.delivery.DeliveryStats stats = context.getRegistry().lookupByNameAndType("deliveryStats",
                dev.logdist.delivery.DeliveryStats.class);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> stats.of(0).messages() == 1);
        dev.logdist.buffer.Buffer buffer = context.getRegistry().lookupByNameAndType("buffer", dev.logdist.buffer.Buffer.class);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> buffer.details(0).get("journalRecords").equals(0L));
        assertThat(heavy.getReceivedCounter()).as("delivered by the retry, never replayed from the journal").isEqualTo(2);
    }
}
