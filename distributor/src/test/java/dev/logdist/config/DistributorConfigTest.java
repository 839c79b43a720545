package dev.logdist.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DistributorConfigTest {

    private Map<String, String> settings;

    @BeforeEach
    void shipped_defaults() throws Exception {
        settings = ShippedSettings.load();
    }

    private DistributorConfig load() {
        return DistributorConfig.from(settings::get);
    }

    @Test
    void should_default_to_the_four_demo_analyzers() {
        DistributorConfig config = load();
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.analyzers()).extracting(AnalyzerSpec::name).containsExactly("a1", "a2", "a3", "a4");
        assertThat(config.analyzers()).extracting(AnalyzerSpec::weight).containsExactly(0.4, 0.3, 0.1, 0.2);
        assertThat(config.analyzers().get(2).url().toString()).isEqualTo("http://127.0.0.1:9103/logs");
        assertThat(config.outagePolicy()).isEqualTo(DistributorConfig.OutagePolicy.HOLD);
        assertThat(config.token()).isEmpty();
        assertThat(config.limits().maxChunkMessages()).isEqualTo(500);
    }

    @Test
    void should_let_the_environment_win() {
        Map<String, String> env = Map.of("DISTRIBUTOR_PORT", "9999", "DISTRIBUTOR_OUTAGE_POLICY", "failover",
                "DISTRIBUTOR_MAX_CHUNK_MESSAGES", "50", "UNRELATED", "x");
        settings.putAll(DistributorConfig.environmentOverrides(env));
        DistributorConfig config = load();
        assertThat(config.port()).isEqualTo(9999);
        assertThat(config.outagePolicy()).isEqualTo(DistributorConfig.OutagePolicy.FAILOVER);
        assertThat(config.limits().maxChunkMessages()).isEqualTo(50);
    }

    @Test
    void should_accept_relative_weights_that_do_not_sum_to_one() {
        settings.put("distributor.analyzers", "x@4=http://127.0.0.1:1/logs, y@6=https://analyzer.example:8443/in");
        assertThat(load().analyzers()).extracting(AnalyzerSpec::weight).containsExactly(4.0, 6.0);
    }

    @Test
    void should_name_the_setting_and_the_analyzer_with_a_bad_weight() {
        settings.put("distributor.analyzers", "a1@0.4=http://127.0.0.1:9101/logs,a2@0=http://127.0.0.1:9102/logs");
        assertThatThrownBy(this::load).isInstanceOf(ConfigException.class)
                .hasMessage("DISTRIBUTOR_ANALYZERS (distributor.analyzers): weight of 'a2' must be a number > 0, got 0");
        settings.put("distributor.analyzers", "a1@heavy=http://127.0.0.1:9101/logs");
        assertThatThrownBy(this::load)
                .hasMessage("DISTRIBUTOR_ANALYZERS (distributor.analyzers): weight of 'a1' must be a number > 0, got 'heavy'");
    }

    @Test
    void should_refuse_duplicate_names_and_bad_urls() {
        settings.put("distributor.analyzers", "a@1=http://127.0.0.1:1/logs,a@2=http://127.0.0.1:2/logs");
        assertThatThrownBy(this::load)
                .hasMessage("DISTRIBUTOR_ANALYZERS (distributor.analyzers): analyzer name 'a' is used twice");
        settings.put("distributor.analyzers", "a@1=ftp://127.0.0.1/logs");
        assertThatThrownBy(this::load).hasMessage("DISTRIBUTOR_ANALYZERS (distributor.analyzers): URL of 'a' must be"
                + " http(s)://host[:port][/path] without query, got 'ftp://127.0.0.1/logs'");
        settings.put("distributor.analyzers", "a@1=http://127.0.0.1:1/logs?x=1");
        assertThatThrownBy(this::load).hasMessageContaining("URL of 'a' must be http(s)://host[:port][/path] without query");
        settings.put("distributor.analyzers", "http://127.0.0.1:1/logs");
        assertThatThrownBy(this::load).hasMessage("DISTRIBUTOR_ANALYZERS (distributor.analyzers): "
                + "'http://127.0.0.1:1/logs' is not of the form name@weight=url");
        settings.put("distributor.analyzers", " , ");
        assertThatThrownBy(this::load).hasMessage("DISTRIBUTOR_ANALYZERS (distributor.analyzers): "
                + "at least one analyzer is required, as name@weight=url[,...]");
    }

    @Test
    void should_name_a_bad_number_or_choice() {
        settings.put("distributor.port", "http");
        assertThatThrownBy(this::load)
                .hasMessage("DISTRIBUTOR_PORT (distributor.port): must be a whole number from 0 to 65535, got 'http'");
        settings.put("distributor.port", "8080");
        settings.put("distributor.outage-policy", "drop");
        assertThatThrownBy(this::load)
                .hasMessage("DISTRIBUTOR_OUTAGE_POLICY (distributor.outage-policy): must be one of hold, failover, got 'drop'");
        settings.put("distributor.outage-policy", "hold");
        settings.put("distributor.max-chunk-messages", "20000");
        assertThatThrownBy(this::load).hasMessage("DISTRIBUTOR_MAX_CHUNK_MESSAGES (distributor.max-chunk-messages): "
                + "must be a whole number from 1 to 10000, got '20000'");
    }

    @Test
    void should_bound_connecting_by_its_own_timeout_and_never_past_the_delivery_deadline() {
        DistributorConfig.Delivery shipped = load().delivery();
        assertThat(shipped.timeoutMs()).isEqualTo(10_000);
        assertThat(shipped.effectiveConnectTimeoutMs()).isEqualTo(2000);
        settings.put("distributor.delivery-timeout-ms", "500");
        assertThat(load().delivery().effectiveConnectTimeoutMs()).isEqualTo(500);
        settings.put("distributor.delivery.connect-timeout-ms", "5");
        assertThatThrownBy(this::load).hasMessage("DISTRIBUTOR_DELIVERY_CONNECT_TIMEOUT_MS (distributor.delivery.connect-timeout-ms): "
                + "must be a whole number from 10 to 600000, got '5'");
    }

    @Test
    void should_take_a_kafka_buffer_only_with_its_bootstrap_servers() {
        settings.put("distributor.buffer", "disk");
        assertThatThrownBy(this::load)
                .hasMessage("DISTRIBUTOR_BUFFER (distributor.buffer): must be one of spool, kafka, got 'disk'");
        settings.put("distributor.buffer", "kafka");
        assertThatThrownBy(this::load).hasMessage(
                "DISTRIBUTOR_KAFKA_BOOTSTRAP (distributor.kafka-bootstrap): must be set when DISTRIBUTOR_BUFFER (distributor.buffer) is kafka");
        settings.put("distributor.kafka-bootstrap", "127.0.0.1:9092");
        settings.put("distributor.kafka-topic-prefix", "logs for/");
        assertThatThrownBy(this::load).hasMessageStartingWith(
                "DISTRIBUTOR_KAFKA_TOPIC_PREFIX (distributor.kafka-topic-prefix): letters, digits");
        settings.put("distributor.kafka-topic-prefix", "logdist-");
        DistributorConfig.Kafka kafka = load().kafka().orElseThrow();
        assertThat(kafka.bootstrap()).isEqualTo("127.0.0.1:9092");
        assertThat(kafka.topic("a1")).isEqualTo("logdist-a1");
        assertThat(kafka.partitions()).isEqualTo(4);
        assertThat(kafka.replicationFactor()).as("auto: the cluster's brokers, at most 3").isZero();
        settings.put("distributor.kafka-replication-factor", "3");
        assertThat(load().kafka().orElseThrow().replicationFactor()).isEqualTo((short) 3);
        settings.put("distributor.kafka-replication-factor", "many");
        assertThatThrownBy(this::load).hasMessage("DISTRIBUTOR_KAFKA_REPLICATION_FACTOR (distributor.kafka-replication-factor): "
                + "auto or a whole number from 1 to 32, got 'many'");
        settings.remove("distributor.kafka-replication-factor");
        settings.put("distributor.buffer", "spool");
        assertThat(load().kafka()).isEmpty();
    }

    @Test
    void should_default_to_whole_packets_per_message_lines_and_the_documented_field_names() {
        DistributorConfig.Ingest ingest = load().ingest();
        assertThat(ingest.partial()).isFalse();
        assertThat(ingest.lines().partial()).isTrue();
        assertThat(ingest.lines().timestampFields()).containsExactly("timestamp", "@timestamp", "time", "date");
        assertThat(ingest.lines().messageFields()).containsExactly("message", "log", "msg");
        assertThat(ingest.lines().levelFields()).containsExactly("level", "severity", "log.level");
        assertThat(ingest.lines().sourceFields()).containsExactly("host", "hostname", "source");
        assertThat(ingest.lines().serviceFields()).containsExactly("service", "app", "appname", "program");
        assertThat(ingest.lines().defaultLevel()).isEqualTo(dev.logdist.model.Level.INFO);
    }

    @Test
    void should_let_the_environment_name_the_record_keys() {
        Map<String, String> env = Map.of("DISTRIBUTOR_LINES_TIMESTAMP_FIELDS", " ts , @timestamp ",
                "DISTRIBUTOR_INGEST_PARTIAL", "true");
        settings.putAll(DistributorConfig.environmentOverrides(env));
        assertThat(load().ingest().lines().timestampFields()).containsExactly("ts", "@timestamp");
        assertThat(load().ingest().partial()).isTrue();
    }

    @Test
    void should_refuse_bad_record_keys_levels_and_modes_naming_the_setting() {
        settings.put("distributor.lines.message-fields", "message,,log");
        assertThatThrownBy(this::load).hasMessageStartingWith(
                "DISTRIBUTOR_LINES_MESSAGE_FIELDS (distributor.lines.message-fields): must be a comma-separated list");
        settings.put("distributor.lines.message-fields", "message,message");
        assertThatThrownBy(this::load).hasMessage(
                "DISTRIBUTOR_LINES_MESSAGE_FIELDS (distributor.lines.message-fields): names 'message' twice");
        settings.put("distributor.lines.message-fields", "message,host");
        assertThatThrownBy(this::load).hasMessage("DISTRIBUTOR_LINES_SOURCE_FIELDS (distributor.lines.source-fields):"
                + " 'host' is already one of DISTRIBUTOR_LINES_MESSAGE_FIELDS (distributor.lines.message-fields)");
        settings.put("distributor.lines.message-fields", "message");
        settings.put("distributor.lines.default-level", "loud");
        assertThatThrownBy(this::load).hasMessageStartingWith(
                "DISTRIBUTOR_LINES_DEFAULT_LEVEL (distributor.lines.default-level): must be one of TRACE");
        settings.put("distributor.lines.default-level", "info");
        settings.put("distributor.lines.partial", "sometimes");
        assertThatThrownBy(this::load).hasMessage(
                "DISTRIBUTOR_LINES_PARTIAL (distributor.lines.partial): must be true or false, got 'sometimes'");
    }
}
