package org.registryaudit.platform.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class GroupedWorkTest {

    @Test
    void aLoneItemIsDoneAtOnce() {
        List<List<Integer>> groups = Collections.synchronizedList(new ArrayList<>());
        try (GroupedWork<Integer> work = new GroupedWork<>("test", 1, 10, Thread::new, groups::add)) {
            work.submit(7);
            assertEquals(List.of(List.of(7)), groups);
            assertEquals(new GroupedWork.Figures(1, 1, 1), work.figures());
        }
    }

    @Test
    void whatWaitsWhileAGroupIsBeingDoneGoesTogether() throws Exception {
        assertEquals(new GroupedWork.Figures(2, 21, 20), twentyWaitBehindOne(-1));
    }

    @Test
    void aBadItemFailsOnlyItselfAndTheRestOfItsGroupIsDoneOneByOne() throws Exception {
        assertEquals(new GroupedWork.Figures(20, 20, 1), twentyWaitBehindOne(13));
    }

    /** Item 0 holds the worker while items 1 to 20 wait; the bad one (if any) is refused. */
    private static GroupedWork.Figures twentyWaitBehindOne(int bad) throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> done = Collections.synchronizedList(new ArrayList<>());
        try (GroupedWork<Integer> work = new GroupedWork<>("test", 1, 100, Thread::new, items -> {
            if (items.contains(0)) { // the first item holds the worker until the others wait
                firstStarted.countDown();
                await(release);
            }
            if (items.contains(bad)) {
                throw new IllegalArgumentException(bad + " is refused");
            }
            done.addAll(items);
        })) {
            ExecutorService callers = Executors.newFixedThreadPool(21);
            List<Future<?>> results = new ArrayList<>();
            results.add(callers.submit(() -> work.submit(0)));
            assertTrue(firstStarted.await(5, TimeUnit.SECONDS));
            for (int i = 1; i <= 20; i++) {
                int item = i;
                results.add(callers.submit(() -> work.submit(item)));
            }
            while (work.figures().items() == 0 && queued(results) < 20) {
                Thread.sleep(10);
            }
            Thread.sleep(200); // the twenty are waiting
            release.countDown();
            for (int i = 0; i < results.size(); i++) {
                int item = i;
                if (item == bad) {
                    Exception failed = assertThrows(
                            Exception.class, () -> results.get(item).get(5, TimeUnit.SECONDS));
                    assertTrue(failed.getCause() instanceof IllegalArgumentException, failed.toString());
                } else {
                    results.get(item).get(5, TimeUnit.SECONDS);
                }
            }
            callers.shutdown();
            assertEquals(bad < 0 ? 21 : 20, done.size(), "every item but the bad one, once: " + done);
            assertTrue(!done.contains(bad));
            return work.figures();
        }
    }

    @Test
    void closingFailsWhatStillWaits() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        GroupedWork<Integer> work = new GroupedWork<>("test", 1, 10, Thread::new, items -> await(never));
        work.close();
        assertThrows(IllegalStateException.class, () -> work.submit(1));
    }

    private static long queued(List<Future<?>> results) {
        return results.stream().filter(f -> !f.isDone()).count();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
