package org.arachne.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class BodyBudgetTest {
    private static final String URL = "http://example.test/big";

    private static long inSeconds(int seconds) {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    }

    /**
     * Runs {@code body} on a thread of its own and returns once it waits (blocked in the budget).
     */
    private static Future<?> blocked(ExecutorService threads, ThrowingRunnable body) {
        AtomicReference<Thread> thread = new AtomicReference<>();
        Future<?> done =
                threads.submit(
                        () -> {
                            thread.set(Thread.currentThread());
                            body.run();
                            return null;
                        });
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                thread.get() != null
                                        && (thread.get().getState() == Thread.State.TIMED_WAITING
                                                || thread.get().getState()
                                                        == Thread.State.WAITING));
        return done;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void withinItsShare_aBodyNeverWaits_andItsBytesAreCountedUntilClosed() throws Exception {
        BodyBudget budget = new BodyBudget(1000, 2); // shares of 250, a pool of 500

        try (BodyBudget.Claim claim = budget.claim(URL, inSeconds(1))) {
            claim.grow(100);
            claim.grow(150);

            assertThat(budget.reserved()).isEqualTo(250);
        }
        assertThat(budget.reserved()).isZero();
        assertThat(budget.peak()).isEqualTo(250);
        assertThat(budget.largestReservation()).isEqualTo(750);
    }

    @Test
    void knownLength_waitsForRoomBeforeReading_thenGoesOn() throws Exception {
        BodyBudget budget = new BodyBudget(1000, 2);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            BodyBudget.Claim first = budget.claim(URL, inSeconds(10));
            first.reserveAll(700); // 250 of its share, 450 of the pool

            Future<?> second =
                    blocked(
                            threads,
                            () -> {
                                try (BodyBudget.Claim claim = budget.claim(URL, inSeconds(10))) {
                                    claim.reserveAll(400); // needs 150 of the pool: 50 are free
                                }
                            });
            assertThat(budget.reserved()).isEqualTo(700);
            first.close();

            second.get(10, TimeUnit.SECONDS);
        }
        assertThat(budget.peak()).isEqualTo(700);
        assertThat(budget.reserved()).isZero();
    }

    @Test
    void aBodyThatCanNeverFit_tooLargeAtOnce() throws Exception {
        BodyBudget budget = new BodyBudget(1000, 2);

        try (BodyBudget.Claim claim = budget.claim(URL, inSeconds(10))) {
            assertThatThrownBy(() -> claim.reserveAll(751))
                    .isInstanceOfSatisfying(
                            DownloadException.class,
                            e -> {
                                assertThat(e.kind()).isEqualTo(DownloadException.Kind.TOO_LARGE);
                                assertThat(e.getMessage())
                                        .contains("download_inflight_bytes of 1000")
                                        .contains(URL);
                            });
            claim.grow(700);
            assertThatThrownBy(() -> claim.grow(51))
                    .isInstanceOfSatisfying(
                            DownloadException.class,
                            e -> assertThat(e.kind()).isEqualTo(DownloadException.Kind.TOO_LARGE));
        }
    }

    @Test
    void noRoomBeforeTheDeadline_timeout() throws Exception {
        BodyBudget budget = new BodyBudget(1000, 2);
        try (BodyBudget.Claim first = budget.claim(URL, inSeconds(10));
                BodyBudget.Claim second =
                        budget.claim(URL, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50))) {
            first.reserveAll(700);

            assertThatThrownBy(() -> second.reserveAll(400))
                    .isInstanceOfSatisfying(
                            DownloadException.class,
                            e -> assertThat(e.kind()).isEqualTo(DownloadException.Kind.TIMEOUT));
        }
        assertThat(budget.reserved()).isZero();
    }

    @Test
    void everyShareTaken_aClaimWaitsForOne() throws Exception {
        BodyBudget budget = new BodyBudget(1000, 1);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            BodyBudget.Claim first = budget.claim(URL, inSeconds(10));

            Future<?> second = blocked(threads, () -> budget.claim(URL, inSeconds(10)).close());
            first.close();

            second.get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Two bodies of unknown length that each need more than half the pool: growing both at once
     * would leave each holding half and waiting for the other. One grows into the pool at a time.
     */
    @Test
    void unknownLengths_growIntoThePoolOneAtATime_bothEnd() throws Exception {
        BodyBudget budget = new BodyBudget(1000, 2);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> bodies = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                bodies.add(
                        threads.submit(
                                () -> {
                                    try (BodyBudget.Claim claim =
                                            budget.claim(URL, inSeconds(10))) {
                                        for (int step = 0; step < 6; step++) {
                                            claim.grow(100);
                                            Thread.yield();
                                        }
                                    }
                                    return null;
                                }));
            }
            for (Future<?> body : bodies) {
                body.get(10, TimeUnit.SECONDS);
            }
        }
        assertThat(budget.peak()).isLessThanOrEqualTo(1000);
        assertThat(budget.reserved()).isZero();
    }

    /** Many bodies of every kind at once: all end, and the budget is never exceeded. */
    @Test
    void manyBodies_allEnd_neverOverTheCapacity() throws Exception {
        long capacity = 64 * 1024;
        BodyBudget budget = new BodyBudget(capacity, 8);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> bodies = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                SplittableRandom random = new SplittableRandom(i);
                bodies.add(
                        threads.submit(
                                () -> {
                                    try (BodyBudget.Claim claim =
                                            budget.claim(URL, inSeconds(20))) {
                                        if (random.nextBoolean()) {
                                            claim.reserveAll(random.nextLong(1, capacity / 2));
                                        } else {
                                            long size = random.nextLong(1, capacity / 2);
                                            for (long held = 0; held < size; held += 1024) {
                                                claim.grow(Math.min(1024, size - held));
                                            }
                                        }
                                        assertThat(budget.reserved()).isLessThanOrEqualTo(capacity);
                                    }
                                    return null;
                                }));
            }
            for (Future<?> body : bodies) {
                body.get(20, TimeUnit.SECONDS);
            }
        }
        assertThat(budget.peak()).isPositive().isLessThanOrEqualTo(capacity);
        assertThat(budget.reserved()).isZero();
    }
}
