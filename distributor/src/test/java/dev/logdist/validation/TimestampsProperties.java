package dev.logdist.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The quick timestamp check agrees with java.time's ISO_OFFSET_DATE_TIME on near-miss and valid texts alike. */
class TimestampsProperties {

    @Property(tries = 5000)
    void quick_check_agrees_with_the_full_parser(@ForAll("timestamps") String text) {
        boolean expected;
        try {
            OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            expected = true;
        } catch (DateTimeParseException e) {
            expected = false;
        }
        assertThat(Timestamps.valid(text)).as(text).isEqualTo(expected);
    }

    @Provide
    Arbitrary<String> timestamps() {
        Arbitrary<String> year = Arbitraries.of("2026", "2024", "1900", "2000", "0000", "9999", "2O26");
        Arbitrary<String> two = Arbitraries.integers().between(0, 40).map(i -> String.format("%02d", i));
        Arbitrary<String> fraction = Arbitraries.of("", ".1", ".123", ".123456789", ".1234567890", ".", ".12a");
        Arbitrary<String> zone = Arbitraries.of("Z", "z", "+01:00", "-05:30", "+18:00", "+18:01", "+19:00", "+0100", "",
                "+01:60", "-00:00");
        Arbitrary<String> sep = Arbitraries.of("T", "T", "T", "t", " ");
        return Combinators.combine(year, two, two, sep, two, two, two, fraction).as((y, mo, d, s, h, mi, se, f) ->
                y + "-" + mo + "-" + d + s + h + ":" + mi + ":" + se + f)
                .flatMap(prefix -> zone.map(z -> prefix + z));
    }
}
