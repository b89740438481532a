package org.registryaudit.events.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.registryaudit.platform.entity.Visibility;
import org.registryaudit.problems.boundary.InvalidRequestException;

class CursorTest {

    @Test
    void roundTrips() {
        Cursor cursor = new Cursor(Instant.parse("2026-11-21T11:53:28.704652Z"), 4711);
        assertEquals(cursor, Cursor.decode(cursor.encode()));
        assertNull(Cursor.decode(null));
        assertNull(Cursor.decode(""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage!", "MjAyNg", "Zm9vfGJhcg"})
    void refusesCursorsItDidNotIssue(String text) {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> Cursor.decode(text));
        assertEquals(
                "cursor '" + text
                        + "' is not one this API returned; pass the 'next' value of the previous page unchanged",
                e.getMessage());
    }

    @Test
    void globPatternsBecomeEscapedLikePatterns() {
        assertEquals("library/%", Visibility.like("library/*"));
        assertEquals("my\\_repo\\%x\\\\%", Visibility.like("my_repo%x\\*"));
    }
}
