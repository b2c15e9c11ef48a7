package org.arachne.middleware;

import static org.assertj.core.api.Assertions.assertThat;

import crawlercommons.robots.SimpleRobotRules;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.arachne.testing.ManualTicker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class CachedRobotsStoreTest {
    private static final String ORIGIN = "http://a.test";
    private static final Duration STALE = Duration.ofMinutes(10);

    private final ManualTicker ticker = new ManualTicker();
    private final CachedRobotsStore store = new CachedRobotsStore(ticker::nanos);

    private static RobotsStore.Known allowAll() {
        return new RobotsStore.Known(
                new SimpleRobotRules(SimpleRobotRules.RobotRulesMode.ALLOW_ALL), Duration.ZERO);
    }

    @Test
    void get_unknownOrigin_isNull() {
        assertThat(store.get(ORIGIN)).isNull();
    }

    @Test
    void get_entry_expiresTwentyFourHoursAfterItWasWritten() {
        RobotsStore.Known rules = allowAll();
        store.put(ORIGIN, rules);

        ticker.advance(CachedRobotsStore.EXPIRY.minusSeconds(1));
        assertThat(store.get(ORIGIN)).isSameAs(rules);

        ticker.advance(Duration.ofSeconds(1));
        assertThat(store.get(ORIGIN)).isNull();
        assertThat(store.claim(ORIGIN, ticker.nanos(), STALE))
                .as("an expired origin is fetched again")
                .isTrue();
    }

    @Test
    void get_gaveUp_expiresToo() {
        store.put(ORIGIN, new RobotsStore.GaveUp("HTTP 500"));

        ticker.advance(CachedRobotsStore.EXPIRY);

        assertThat(store.get(ORIGIN)).isNull();
    }

    @Test
    void restore_unknownOrigin_isKeptForWhatIsLeftOfItsDay() {
        RobotsStore.Known rules = allowAll();

        assertThat(store.restore(ORIGIN, rules, Duration.ofHours(3))).isTrue();

        ticker.advance(Duration.ofHours(3).minusSeconds(1));
        assertThat(store.get(ORIGIN)).isSameAs(rules);
        ticker.advance(Duration.ofSeconds(1));
        assertThat(store.get(ORIGIN)).isNull();
    }

    @Test
    void restore_originKnown_leavesWhatIsThere() {
        RobotsStore.Known fetched = allowAll();
        store.put(ORIGIN, fetched);

        assertThat(store.restore(ORIGIN, allowAll(), Duration.ofHours(1))).isFalse();
        assertThat(store.restore("http://c.test", allowAll(), Duration.ZERO))
                .as("nothing left of its day")
                .isFalse();

        assertThat(store.get(ORIGIN)).isSameAs(fetched);
        assertThat(store.get("http://c.test")).isNull();
    }

    /** Another worker of a shared frontier took this one's robots.txt request and kept it (#11). */
    @Test
    void restore_originPending_takesItsPlace() {
        store.claim("http://b.test", ticker.nanos(), STALE);
        RobotsStore.Known keptByAnother = allowAll();

        assertThat(store.restore("http://b.test", keptByAnother, Duration.ofHours(1))).isTrue();

        assertThat(store.get("http://b.test")).isSameAs(keptByAnother);
    }

    @Test
    void claim_unknownOrigin_onceUntilStale() {
        long start = ticker.nanos();

        assertThat(store.claim(ORIGIN, start, STALE)).isTrue();
        assertThat(store.get(ORIGIN)).isEqualTo(new RobotsStore.Pending(start));
        assertThat(store.claim(ORIGIN, start + STALE.toNanos() - 1, STALE)).isFalse();
        assertThat(store.claim(ORIGIN, start + STALE.toNanos(), STALE)).isTrue();
        assertThat(store.get(ORIGIN)).isEqualTo(new RobotsStore.Pending(start + STALE.toNanos()));
    }

    @Test
    void claim_knownOrGaveUp_isRefusedHoweverLate() {
        store.put(ORIGIN, allowAll());
        store.put("http://b.test", new RobotsStore.GaveUp("HTTP 500"));
        long late = ticker.nanos() + Duration.ofHours(1).toNanos();

        assertThat(store.claim(ORIGIN, late, STALE)).isFalse();
        assertThat(store.claim("http://b.test", late, STALE)).isFalse();
        assertThat(store.get(ORIGIN)).isInstanceOf(RobotsStore.Known.class);
    }

    @Test
    @Timeout(10)
    void claim_manyThreadsAtOnce_exactlyOneWinsPerOrigin() throws Exception {
        int origins = 8;
        int threadsPerOrigin = 32;
        CountDownLatch start = new CountDownLatch(1);
        List<List<Future<Boolean>>> claims = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int o = 0; o < origins; o++) {
                String origin = "http://host" + o + ".test";
                List<Future<Boolean>> ofOrigin = new ArrayList<>();
                for (int t = 0; t < threadsPerOrigin; t++) {
                    ofOrigin.add(
                            threads.submit(
                                    () -> {
                                        start.await();
                                        return store.claim(origin, ticker.nanos(), STALE);
                                    }));
                }
                claims.add(ofOrigin);
            }
            start.countDown();
            for (List<Future<Boolean>> ofOrigin : claims) {
                int won = 0;
                for (Future<Boolean> claim : ofOrigin) {
                    won += claim.get() ? 1 : 0;
                }
                assertThat(won).isEqualTo(1);
            }
        }
    }
}
