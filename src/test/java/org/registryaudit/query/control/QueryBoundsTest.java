package org.registryaudit.query.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.registryaudit.problems.boundary.InvalidRequestException;

/** The Log Analytics API's timespan, as Azure takes it: ISO 8601 durations and intervals. */
class QueryBoundsTest {

    static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    static String window(String timespan) {
        QueryBounds b = QueryBounds.timespan(timespan, NOW);
        return b.from() + "/" + b.to();
    }

    @Test
    void readsDurationsAndTheThreeIntervalForms() {
        assertEquals("2026-12-04T11:00:00Z/2026-12-04T12:00:00Z", window("PT1H"));
        assertEquals("2026-12-03T12:00:00Z/2026-12-04T12:00:00Z", window("P1D"));
        assertEquals("2026-12-02T10:30:00Z/2026-12-04T12:00:00Z", window("P2DT1H30M"));
        assertEquals("2026-11-27T12:00:00Z/2026-12-04T12:00:00Z", window("P1W"));
        assertEquals("2026-12-01T00:00:00Z/2026-12-02T00:00:00Z", window("2026-12-01T00:00:00Z/2026-12-02T00:00:00Z"));
        assertEquals("2026-12-01T00:00:00Z/2026-12-01T06:00:00Z", window("2026-12-01T00:00:00Z/PT6H"));
        assertEquals("2026-12-01T18:00:00Z/2026-12-02T00:00:00Z", window("PT6H/2026-12-02T00:00:00Z"));
        assertEquals("2026-12-01T00:00:00Z/2026-12-01T01:00:00Z", window("2026-12-01T01:00:00+01:00/PT1H"));
        // what Azure's clients send for "all time" (QueryTimeInterval.ALL), and durations past year 1
        assertEquals(
                "0001-01-01T00:00:00Z/9999-12-31T23:59:59.999999Z",
                window("-999999999-01-01T00:00+18:00/+999999999-12-31T23:59:59.999999999-18:00"));
        assertEquals("0001-01-01T00:00:00Z/2026-12-04T12:00:00Z", window("P99999999D"));
        assertEquals(QueryBounds.NONE, QueryBounds.timespan(null, NOW));
        assertEquals(QueryBounds.NONE, QueryBounds.timespan(" ", NOW));
    }

    @Test
    void refusesWhatIsNoTimespanWithTheFormsItTakes() {
        for (String bad : List.of("1h", "PT0S", "-PT1H", "P", "2026-12-01", "a/b/c", "PT1H/PT2H", "x".repeat(500))) {
            InvalidRequestException e =
                    assertThrows(InvalidRequestException.class, () -> QueryBounds.timespan(bad, NOW), bad);
            assertTrue(e.getMessage().startsWith("timespan: "), e.getMessage());
            assertTrue(e.getMessage().length() < 400, "the value is cut in the message");
        }
        InvalidRequestException backwards = assertThrows(
                InvalidRequestException.class,
                () -> QueryBounds.timespan("2026-12-02T00:00:00Z/2026-12-01T00:00:00Z", NOW));
        assertTrue(backwards.getMessage().contains("ends before it starts"), backwards.getMessage());
    }

    @Test
    void conditionsOnTheTimeColumnAndTheLoginServers() {
        List<Object> params = new ArrayList<>();
        String sql = QueryBounds.timespan("PT1H", NOW)
                .within(Set.of("b.example.com", "a.example.com"))
                .condition("TimeGenerated", "LoginServer", params);
        assertEquals("TimeGenerated >= ? AND TimeGenerated < ? AND LoginServer IN (?, ?)", sql);
        assertEquals(List.of(NOW.minusSeconds(3600), NOW, "a.example.com", "b.example.com"), params);
        assertEquals("1 = 0", QueryBounds.NONE.within(Set.of()).condition("T", "S", new ArrayList<>()));
        assertEquals(null, QueryBounds.NONE.condition("T", "S", new ArrayList<>()));
    }
}
