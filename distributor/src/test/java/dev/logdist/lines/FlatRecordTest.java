package dev.logdist.lines;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logdist.config.DistributorConfig;
import dev.logdist.config.ShippedSettings;
import dev.logdist.ingest.NativePacket;
import dev.logdist.ingest.Translation;
import dev.logdist.validation.JsonGuard;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A flat record read in one pass and written as a message exactly as its tree is, or left to the tree to refuse. */
class FlatRecordTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private final Records records = new Records(new JsonGuard(32, 20_000).factory(), 1000);

    private RecordMapping mapping() throws Exception {
        Map<String, String> settings = ShippedSettings.load();
        settings.put("distributor.max-attributes", "4");
        DistributorConfig config = DistributorConfig.from(settings::get);
        return new RecordMapping(config.ingest().lines(), config.limits().maxAttributes(), () -> NOW);
    }

    @Test
    void should_read_the_records_agents_send_flat_and_leave_the_rest_to_the_tree() {
        assertThat(item("{\"date\":1764590400.5,\"log\":\"x\"}").flat()).as("a fraction").isNull();
        assertThat(item("{\"log\":\"x\",\"kube\":{\"pod\":\"p\"}}").flat()).as("nested").isNull();
        assertThat(item("{\"log\":\"x\",\"tags\":[1]}").flat()).as("an array").isNull();
        assertThat(item("{\"log\":\"x\",\"log\":\"y\"}").flat()).as("a key twice").isNull();
        Records.Item flat = item("{\"date\":1764590400,\"log\":\"GET /\",\"host\":\"web-1\",\"n\":7,\"ok\":true,\"z\":null}");
        assertThat(flat.flat()).isNotNull();
        assertThat(flat.record().get("log").asText()).as("its tree, when asked for").isEqualTo("GET /");
    }

    @Test
    void should_write_every_flat_record_exactly_as_its_tree() throws Exception {
        RecordMapping mapping = mapping();
        Random random = new Random(20261201);
        int flat = 0;
        for (int n = 0; n < 20_000; n++) {
            String line = randomRecord(random);
            Records.Item item = item(line);
            NativePacket byTree = NativePacket.of("agent", null);
            mapping.write(byTree, 0, item.record());
            Translation tree = byTree.finish();
            if (item.flat() == null) {
                continue;
            }
            flat++;
            NativePacket byFlat = NativePacket.of("agent", null);
            if (mapping.writeFlat(byFlat, 0, item.flat())) {
                assertThat(tree.refused()).as(line).isEmpty();
                assertThat(new String(byFlat.finish().packet(), StandardCharsets.UTF_8)).as(line)
                        .isEqualTo(new String(tree.packet(), StandardCharsets.UTF_8));
            } else {
                assertThat(tree.refused()).as("refused by the tree: %s", line).hasSize(1);
                assertThat(byFlat.messages()).as("nothing written: %s", line).isZero();
            }
        }
        assertThat(flat).as("records read flat").isGreaterThan(10_000);
    }

    private Records.Item item(String line) {
        return records.lines(line.getBytes(StandardCharsets.UTF_8)).get(0);
    }

    private static final String[] KEYS = {"timestamp", "@timestamp", "time", "date", "message", "log", "msg", "level",
        "severity", "log.level", "host", "hostname", "source", "service", "app", "program", "a", "b.c", "", "k".repeat(300),
        "region", "trace"};
    private static final String[] VALUES = {"\"2026-11-25T10:00:00.123Z\"", "\"2026-11-25T10:00:00\"", "1764590400",
        "\"1764590400.25\"", "1764590400123", "\"warning\"", "\"emerg\"", "\"bogus\"", "3", "-0", "true", "false", "null",
        "\"web-1\"", "\"  \"", "\"\"", "\"" + "v".repeat(9_000) + "\"", "\"caf\\u00e9 \\ud83d\\ude00\"",
        "99999999999999999999"};

    private static String randomRecord(Random random) {
        List<String> fields = new ArrayList<>();
        for (int k = random.nextInt(9); k > 0; k--) {
            fields.add("\"" + KEYS[random.nextInt(KEYS.length)] + "\":" + VALUES[random.nextInt(VALUES.length)]);
        }
        if (random.nextInt(3) > 0) {
            fields.add(random.nextInt(fields.size() + 1), "\"log\":\"line " + random.nextInt(100) + "\"");
        }
        return "{" + String.join(",", fields) + "}";
    }
}
