package dev.logdist.lines;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class EpochTest {

    private static final Pattern EPOCH = Pattern.compile("-?\\d{1,20}(\\.\\d{1,18})?");

    @Test
    void should_tell_epoch_seconds_from_other_text_exactly_as_the_pattern_does() {
        Random random = new Random(7);
        String alphabet = "-0123456789.0123456789x ٣";
        int epochs = 0;
        for (int n = 0; n < 200_000; n++) {
            StringBuilder b = new StringBuilder();
            int length = random.nextInt(45);
            for (int i = 0; i < length; i++) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String text = random.nextInt(4) == 0 ? "1764" + b : b.toString();
            boolean expected = EPOCH.matcher(text).matches();
            epochs += expected ? 1 : 0;
            assertThat(Epoch.isEpochText(text)).as("'%s'", text).isEqualTo(expected);
        }
        for (String edge : new String[] {"", "-", ".", "1", "-1", "1.", ".5", "1.5", "-0.000000000000000001",
                "12345678901234567890", "123456789012345678901", "1.1234567890123456789", "1e5", "١٢"}) {
            assertThat(Epoch.isEpochText(edge)).as("'%s'", edge).isEqualTo(EPOCH.matcher(edge).matches());
        }
        assertThat(epochs).as("the random texts reach both answers").isGreaterThan(1000);
    }
}
