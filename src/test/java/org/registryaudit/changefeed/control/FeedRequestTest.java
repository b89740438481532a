package org.registryaudit.changefeed.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.registryaudit.changefeed.entity.TrustChangeRecord;

/** The paging rules of real-world-formats.md §3, one row per rule. */
class FeedRequestTest {

    private static final long LATEST = Long.MAX_VALUE;

    @ParameterizedTest(name = "records={0} change_id={1} -> cursor {2}, limit {3}, backwards {4}")
    @CsvSource(
            nullValues = "null",
            value = {
                // forward from the beginning; change_id defaults to 0
                "10,    0,    0,      10,  false",
                "10,    null, 0,      10,  false",
                "10,    '',   0,      10,  false",
                // 0 records means 100
                "0,     0,    0,      100, false",
                // an exclusive cursor, forward and backward
                "25,    4711, 4711,   25,  false",
                "-25,   4711, 4711,   25,  true",
                // 0 with negative records: the most recent, backwards
                "-5,    0,    " + LATEST + ", 5, true",
                // 1 and any negative change_id: the most recent, backwards whatever the sign of records
                "5,     1,    " + LATEST + ", 5, true",
                "-5,    1,    " + LATEST + ", 5, true",
                "5,     -1,   " + LATEST + ", 5, true",
                "5,     -99,  " + LATEST + ", 5, true",
                "0,     1,    " + LATEST + ", 100, true",
                // the bound, both signs
                "1000,  2,    2,      1000, false",
                "-1000, 2,    2,      1000, true",
                // a cursor far beyond the end is just a cursor (the page comes back empty)
                "10,    2147483647, 2147483647, 10, false",
            })
    void readsTheParametersAsNotaryServerDoes(
            String records, String changeId, long cursor, int limit, boolean backwards) {
        assertEquals(new FeedRequest(cursor, limit, backwards), FeedRequest.parse(records, changeId, 1000));
    }

    @ParameterizedTest
    @CsvSource(
            nullValues = "null",
            value = {
                "null,        0,   records parameter is required",
                "'',          0,   records parameter is required",
                "ten,         0,   32-bit signed integer",
                "1.5,         0,   32-bit signed integer",
                "2147483648,  0,   32-bit signed integer",
                "1001,        0,   at most 1000",
                "-1001,       0,   at most 1000",
                "-2147483648, 0,   at most 1000",
                "10,          abc, invalid change_id parameter 'abc'",
                "10,          1e3, invalid change_id",
                // what notary-server's strconv.ParseInt(…, 10, 32) refuses ('+' in a query is a space)
                "'+3',        0,   32-bit signed integer",
                "' 3',        0,   32-bit signed integer",
                "10,          2147483648, invalid change_id parameter '2147483648'",
                "10,          '+5', invalid change_id",
            })
    void refusesWhatItCannotRead(String records, String changeId, String message) {
        InvalidFeedRequestException e =
                assertThrows(InvalidFeedRequestException.class, () -> FeedRequest.parse(records, changeId, 1000));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void theFollowerTakesOnlyTheSettledHeadOfAPage() {
        Instant now = Instant.parse("2026-11-21T12:00:00Z");
        List<TrustChangeRecord> page = List.of(
                change(now.minusSeconds(30)),
                change(now.minusSeconds(6)),
                change(now.minusSeconds(1)),
                change(now.minusSeconds(20)));
        // the third is too young, so the fourth waits too, even though it is old: order is kept
        assertEquals(2, NotaryFollower.settled(page, now.minusSeconds(5)));
        assertEquals(0, NotaryFollower.settled(page, now.minusSeconds(60)));
        assertEquals(4, NotaryFollower.settled(page, now));
    }

    private static TrustChangeRecord change(Instant at) {
        return new TrustChangeRecord("id", at, "a/b", 1, "00", "update", "s");
    }
}
