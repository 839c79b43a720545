package dev.logdist.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logdist.config.AnalyzerSpec;
import dev.logdist.config.DistributorConfig;
import dev.logdist.config.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * docker-compose.yml as text: every environment variable and port agrees with the contract and with itself (running it
 * is .ci/compose-check's job, with podman-compose).
 */
class ComposeFileTest {

    private static final Path ROOT = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();

    private static final Set<String> ANALYZER_VARIABLES = Set.of("ANALYZER_PORT", "ANALYZER_NAME", "ANALYZER_HOST",
            "ANALYZER_DATA_DIR", "ANALYZER_JAVA_OPTS");

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services() throws Exception {
        Map<String, Object> compose = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(ROOT.resolve("docker-compose.yml")));
        return (Map<String, Map<String, Object>>) compose.get("services");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> environment(Map<String, Object> service) {
        return (Map<String, String>) service.getOrDefault("environment", Map.of());
    }

    @Test
    void should_have_every_service_of_the_demo_with_a_dockerfile_that_exists() throws Exception {
        Map<String, Map<String, Object>> services = services();
        assertThat(services).containsOnlyKeys("distributor", "analyzer1", "analyzer2", "analyzer3", "analyzer4", "jmeter", "hawtio",
                "kafka");
        for (Map.Entry<String, Map<String, Object>> s : services.entrySet()) {
            if (s.getKey().equals("kafka")) {
                continue; // an image of Apache's, checked below
            }
            @SuppressWarnings("unchecked")
            Map<String, String> build = (Map<String, String>) s.getValue().get("build");
            Path dockerfile = ROOT.resolve(build.get("context")).resolve(build.get("dockerfile"));
            assertThat(dockerfile).as(s.getKey()).isRegularFile();
            if (build.containsKey("target")) {
                assertThat(Files.readString(dockerfile)).as(s.getKey()).contains(" AS " + build.get("target") + "\n");
            }
        }
        // the Kafka of compose is the one the project's own broker script runs
        String kafkaVersion = Files.readString(ROOT.resolve("kafka/pom.xml")).replaceAll("(?s).*<kafka.version>(.*?)</kafka.version>.*", "$1");
        assertThat(services.get("kafka").get("image")).isEqualTo("apache/kafka:" + kafkaVersion);
        assertThat(environment(services.get("distributor"))).containsEntry("DISTRIBUTOR_KAFKA_BOOTSTRAP", "kafka:9092");
        assertThat(ROOT.resolve("jmeter/logs-load.jmx")).isRegularFile();
        // the image runs the demo's plan with the properties that put each packet's message count in the results
        assertThat(Files.readString(ROOT.resolve("jmeter/Dockerfile"))).contains("COPY logs-load.jmx load.properties ./")
                .contains("\"-q\", \"/plan/load.properties\"");
    }

    @Test
    void should_configure_only_by_contract_variables() throws Exception {
        Set<String> distributorVariables = DistributorConfig.ALL.stream().map(Setting::envName).collect(Collectors.toSet());
        for (Map.Entry<String, Map<String, Object>> s : services().entrySet()) {
            Set<String> names = environment(s.getValue()).keySet();
            if (s.getKey().equals("distributor")) {
                assertThat(distributorVariables).as("known settings").containsAll(names);
            } else if (s.getKey().startsWith("analyzer")) {
                assertThat(ANALYZER_VARIABLES).containsAll(names);
            }
        }
    }

    @Test
    void should_point_the_distributor_at_the_analyzer_services_and_ports() throws Exception {
        Map<String, Map<String, Object>> services = services();
        Map<String, String> env = environment(services.get("distributor"));
        List<AnalyzerSpec> analyzers = AnalyzerSpec.parseList(env.get("DISTRIBUTOR_ANALYZERS"), "DISTRIBUTOR_ANALYZERS");
        assertThat(analyzers).extracting(AnalyzerSpec::weight).containsExactly(0.4, 0.3, 0.1, 0.2);
        for (int i = 0; i < 4; i++) {
            AnalyzerSpec a = analyzers.get(i);
            Map<String, String> analyzerEnv = environment(services.get(a.url().getHost()));
            assertThat(analyzerEnv).as(a.url().getHost()).containsEntry("ANALYZER_PORT", String.valueOf(a.url().getPort()))
                    .containsEntry("ANALYZER_NAME", a.name());
        }
        @SuppressWarnings("unchecked")
        List<String> ports = (List<String>) services.get("distributor").get("ports");
        assertThat(ports).contains("127.0.0.1:${LOGDIST_HTTP_PORT:-8080}:" + env.get("DISTRIBUTOR_PORT"));
        // what the stack publishes is reachable from this machine only
        services.values().forEach(s -> assertThat((List<String>) s.getOrDefault("ports", List.of()))
                .allMatch(p -> p.startsWith("127.0.0.1:")));
        assertThat(Files.readString(ROOT.resolve("Dockerfile"))).contains("EXPOSE " + env.get("DISTRIBUTOR_PORT"));
    }
}
