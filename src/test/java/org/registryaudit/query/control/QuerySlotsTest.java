package org.registryaudit.query.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.registryaudit.problems.boundary.BusyException;

/** Queries at once: per caller and per server, refused at once with 429 beyond, freed when they end. */
class QuerySlotsTest {

    static QuerySlots slots(int concurrent, int perCaller) {
        QuerySlots slots = new QuerySlots();
        slots.concurrent = concurrent;
        slots.perCaller = perCaller;
        slots.init();
        return slots;
    }

    @Test
    void limitsEachCallerAndTheServer() {
        QuerySlots slots = slots(3, 2);
        QuerySlots.Slot a1 = slots.take("alice");
        QuerySlots.Slot a2 = slots.take("alice");
        BusyException third = assertThrows(BusyException.class, () -> slots.take("alice"));
        assertEquals(1, third.retryAfterSeconds());
        assertTrue(third.getMessage().contains("you have 2 queries running already"), third.getMessage());
        QuerySlots.Slot b1 = slots.take("bob");
        BusyException full = assertThrows(BusyException.class, () -> slots.take("carol"));
        assertTrue(full.getMessage().contains("3 queries are running on this server already"), full.getMessage());
        a1.close();
        slots.take("carol").close();
        a2.close();
        b1.close();
        for (int i = 0; i < 10; i++) {
            slots.take("alice").close(); // every place comes back
        }
        QuerySlots.Slot again1 = slots.take("alice");
        QuerySlots.Slot again2 = slots.take("alice");
        again1.close();
        again2.close();
    }
}
