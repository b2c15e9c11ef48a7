package org.arachne.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.arachne.frontier.FrontierException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * The engine's frontier calls in an outage of the store (#11): every waiting call is tried again,
 * and the log tells the outage once for all of them, not once per call or attempt.
 */
@Timeout(30)
class FrontierCallsTest {
    private final Stats stats = new Stats();
    private final List<FrontierException> fatal = new CopyOnWriteArrayList<>();
    private final FrontierCalls calls = new FrontierCalls(stats, fatal::add);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger log = (Logger) LoggerFactory.getLogger(FrontierCalls.class);

    @BeforeEach
    void capture() {
        logged.start();
        log.addAppender(logged);
    }

    @AfterEach
    void release() {
        log.detachAppender(logged);
    }

    private List<String> messages(Level level) {
        synchronized (logged.list) {
            return logged.list.stream()
                    .filter(e -> e.getLevel() == level)
                    .map(ILoggingEvent::getFormattedMessage)
                    .toList();
        }
    }

    @Test
    void outage_ofManyWaitingCalls_isToldOnce_andItsEndOnce() throws Exception {
        int threads = 16;
        AtomicBoolean down = new AtomicBoolean(true);
        CountDownLatch allFailedOnce = new CountDownLatch(threads);
        AtomicInteger attempts = new AtomicInteger();
        List<Future<String>> results = new ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < threads; i++) {
                String name = "lease " + i;
                AtomicBoolean failed = new AtomicBoolean();
                results.add(
                        pool.submit(
                                () ->
                                        calls.waiting(
                                                "commit " + name,
                                                () -> {
                                                    attempts.incrementAndGet();
                                                    if (down.get()) {
                                                        if (failed.compareAndSet(false, true)) {
                                                            allFailedOnce.countDown();
                                                        }
                                                        throw new FrontierException(
                                                                "Redis at 127.0.0.1:1: not"
                                                                        + " connected",
                                                                true,
                                                                null);
                                                    }
                                                    return name;
                                                })));
            }
            assertThat(allFailedOnce.await(10, TimeUnit.SECONDS)).isTrue();
            down.set(false);
            for (int i = 0; i < threads; i++) {
                assertThat(results.get(i).get(10, TimeUnit.SECONDS)).isEqualTo("lease " + i);
            }
        }

        assertThat(fatal).isEmpty();
        assertThat(stats.get(StatKeys.FRONTIER_RETRIES)).isEqualTo(attempts.get() - threads);
        assertThat(messages(Level.WARN))
                .singleElement()
                .satisfies(m -> assertThat(m).startsWith("the frontier could not commit lease"))
                .satisfies(m -> assertThat(m).contains("Redis at 127.0.0.1:1: not connected"));
        assertThat(messages(Level.INFO))
                .singleElement()
                .satisfies(m -> assertThat(m).startsWith("the frontier works again after"));
    }

    @Test
    void failureThatIsNotTransient_stopsAtOnce_withoutTryingAgain() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        FrontierException refused =
                new FrontierException("refused", FrontierException.Kind.REFUSED, false, null);

        String result =
                calls.waiting(
                        "take a lease",
                        () -> {
                            attempts.incrementAndGet();
                            throw refused;
                        });

        assertThat(result).isNull();
        assertThat(attempts.get()).isEqualTo(1);
        assertThat(fatal).containsExactly(refused);
        assertThat(messages(Level.WARN)).isEmpty();
    }
}
