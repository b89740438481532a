package org.registryaudit.metrics.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.registryaudit.events.entity.LoginEventRecord;
import org.registryaudit.events.entity.RepositoryEventRecord;
import org.registryaudit.metrics.entity.MetricKey;
import org.registryaudit.metrics.entity.MetricName;
import org.registryaudit.metrics.entity.MetricRow;

class MetricTallyTest {

    static final Instant T = Instant.parse("2026-11-21T10:15:42.5Z");

    static RepositoryEventRecord event(
            String operation, String repository, String tag, String mediaType, String result, Instant time) {
        return new RepositoryEventRecord(
                "e",
                time,
                time,
                "reg.example.com",
                operation,
                repository,
                tag,
                null,
                mediaType,
                null,
                null,
                null,
                "alice",
                result,
                result,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    static LoginEventRecord login(String result) {
        return new LoginEventRecord(
                "l",
                T,
                T,
                "reg.example.com",
                "Login",
                "alice",
                null,
                result,
                result,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    @ParameterizedTest
    @CsvSource(
            nullValues = "-",
            value = {
                // operation, tag, media type, result → counted as
                "Pull, latest, application/vnd.oci.image.manifest.v1+json, 200, TotalPullCount SuccessfulPullCount",
                "Pull, -, application/vnd.docker.distribution.manifest.v2+json, 200, TotalPullCount SuccessfulPullCount",
                "Pull, -, application/vnd.oci.image.index.v1+json, 200, TotalPullCount SuccessfulPullCount",
                "Pull, -, -, 200, TotalPullCount SuccessfulPullCount",
                "Pull, -, application/octet-stream, 200, ''",
                "Pull, -, application/vnd.oci.image.layer.v1.tar+gzip, 200, ''",
                "Pull, 1.0, application/vnd.oci.image.manifest.v1+json, 404, TotalPullCount",
                "Push, 1.0, application/vnd.oci.image.manifest.v1+json, 201, TotalPushCount SuccessfulPushCount",
                "Push, 1.0, application/vnd.oci.image.manifest.v1+json, 500, TotalPushCount",
                "PushBlob, -, application/octet-stream, 201, ''",
                "Mount, -, application/octet-stream, 201, ''",
                "Delete, -, -, 202, ''"
            })
    void whatAnEventCountsAs(String operation, String tag, String mediaType, String result, String metrics) {
        Map<MetricKey, Long> counts =
                MetricTally.of(List.of(event(operation, "library/nginx", tag, mediaType, result, T)), List.of());
        List<String> expected = metrics.isEmpty() ? List.of() : List.of(metrics.split(" "));
        assertEquals(
                expected.stream().sorted().toList(),
                counts.keySet().stream().map(k -> k.metric().name()).sorted().toList());
        counts.forEach((key, n) -> {
            assertEquals(1L, n);
            assertEquals(Instant.parse("2026-11-21T10:15:00Z"), key.minute());
            assertEquals("library/nginx", key.repository());
        });
    }

    @Test
    void loginsCountPerLoginServerBySuccess() {
        Map<MetricKey, Long> counts =
                MetricTally.of(List.of(), List.of(login("200"), login("401"), login("401"), login("429")));
        Map<String, Long> byMetric = new TreeMap<>();
        counts.forEach((k, n) -> byMetric.put(k.metric().name() + "@" + k.repository(), n));
        assertEquals(Map.of("SuccessfulLoginCount@", 1L, "FailedLoginCount@", 3L), byMetric);
    }

    @Test
    void eventsOfOneKeyAndMinuteAreSummed() {
        Map<MetricKey, Long> counts = MetricTally.of(
                List.of(
                        event("Push", "a", "1", null, "201", T),
                        event("Push", "a", "2", null, "201", T.plusSeconds(10)),
                        event("Push", "a", "3", null, "201", T.plusSeconds(20)),
                        event("Push", "b", "1", null, "201", T)),
                List.of());
        assertEquals(
                2L,
                counts.get(new MetricKey(
                        "reg.example.com", "a", MetricName.TotalPushCount, Instant.parse("2026-11-21T10:15:00Z"))));
        assertEquals(
                1L,
                counts.get(new MetricKey(
                        "reg.example.com", "a", MetricName.TotalPushCount, Instant.parse("2026-11-21T10:16:00Z"))));
    }

    @Test
    void minutesRollUpToHoursAndDays() {
        List<Object[]> minutes = List.of(
                new Object[] {"reg", "TotalPullCount", Instant.parse("2026-11-21T10:15:00Z"), 2L},
                new Object[] {"reg", "TotalPullCount", Instant.parse("2026-11-21T10:59:00Z"), 3L},
                new Object[] {"reg", "TotalPullCount", Instant.parse("2026-11-21T11:00:00Z"), 4L},
                new Object[] {"reg", "TotalPushCount", Instant.parse("2026-11-21T10:20:00Z"), 1L});
        List<MetricRow> hours = MetricQuery.rollUp(minutes, false, TimeGrain.PT1H);
        assertEquals(
                List.of(
                        "2026-11-21T10:00:00Z TotalPullCount 5",
                        "2026-11-21T10:00:00Z TotalPushCount 1",
                        "2026-11-21T11:00:00Z TotalPullCount 4"),
                hours.stream()
                        .map(r -> r.timeGenerated() + " " + r.metricName() + " " + r.total())
                        .toList());
        MetricRow day = MetricQuery.rollUp(minutes, false, TimeGrain.P1D).get(0);
        assertEquals(9L, day.total());
        assertEquals(9L, day.count());
        assertEquals("P1D", day.timeGrain());
        assertEquals(1.0, day.average());
    }
}
