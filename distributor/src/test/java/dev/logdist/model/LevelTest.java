package dev.logdist.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LevelTest {

    @ParameterizedTest
    @CsvSource({"emerg,FATAL", "EMERG,FATAL", "emergency,FATAL", "panic,FATAL", "fatal,FATAL",
        "alert,ERROR", "crit,ERROR", "Critical,ERROR", "err,ERROR", "error,ERROR",
        "warning,WARN", "warn,WARN", "notice,INFO", "info,INFO", "informational,INFO", "debug,DEBUG", "trace,TRACE"})
    void should_map_syslog_severity_names_in_any_case(String name, Level expected) {
        assertThat(Level.parse(name)).isEqualTo(expected);
    }

    @Test
    void should_know_no_other_name() {
        assertThat(Level.parse("loud")).isNull();
        assertThat(Level.parse("")).isNull();
        assertThat(Level.parse("5")).isNull();
    }

    @Test
    void should_list_every_name_it_takes() {
        for (String name : new String[] {"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug", "panic"}) {
            assertThat(Level.NAMES).contains(name);
        }
    }
}
