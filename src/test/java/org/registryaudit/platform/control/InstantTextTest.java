package org.registryaudit.platform.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The archive's time text is exactly {@link Instant#toString()}, from one call to the next. */
class InstantTextTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2025-03-04T05:06:07Z",
                "2025-03-04T05:06:07.100Z",
                "2025-03-04T05:06:07.000100Z",
                "2025-03-04T05:06:07.000000001Z",
                "2025-03-04T05:59:59.999999999Z",
                "1970-01-01T00:00:00Z",
                "1969-12-31T23:59:59.5Z",
                "1000-01-01T00:00:00Z",
                "0999-12-31T23:59:59Z",
                "9999-12-31T23:59:59.123Z",
                "+10000-01-01T00:00:00Z",
                "-0001-06-01T12:00:00Z",
                "2024-02-29T23:00:00.01Z"
            })
    void writesWhatInstantWrites(String text) {
        Instant instant = Instant.parse(text);
        assertEquals(instant.toString(), text(new InstantText(), instant));
    }

    @Test
    void writesWhatInstantWritesForRandomTimesOneAfterTheOther() {
        SplittableRandom random = new SplittableRandom(42);
        InstantText text = new InstantText();
        long second = Instant.parse("2025-03-04T05:00:00Z").getEpochSecond();
        for (int i = 0; i < 100_000; i++) {
            second += random.nextInt(i % 100 == 0 ? 100_000 : 120); // mostly the same hour, sometimes far
            int nano = switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(second, nano);
            assertEquals(instant.toString(), text(text, instant));
        }
    }

    private static String text(InstantText text, Instant time) {
        StringBuilder b = new StringBuilder("x");
        text.append(b, time);
        return b.substring(1);
    }
}
