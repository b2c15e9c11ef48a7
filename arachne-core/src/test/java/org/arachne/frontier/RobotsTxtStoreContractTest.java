package org.arachne.frontier;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.arachne.http.Body;
import org.arachne.http.Request;
import org.arachne.politeness.Backoff;
import org.arachne.politeness.SlotRules;
import org.arachne.politeness.SlotSignals;
import org.arachne.politeness.Throttle;
import org.arachne.testing.ManualTicker;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The definition of {@link RobotsTxtStore}: a frontier that keeps robots.txt records keeps them
 * across runs as they were given, one per origin, and gives a Crawl-delay of an earlier run to the
 * origin's slot from its first lease. Every durable frontier (SQLite, later Redis) passes it by
 * implementing {@link #openAgain}.
 */
@Timeout(30)
public abstract class RobotsTxtStoreContractTest {
    private static final String A = "http://a.test";

    protected final ManualTicker ticker = new ManualTicker();
    private @Nullable Frontier current;

    /**
     * Opens the frontier under test over this test's durable store: the same store at every call,
     * as the next run of a job would (the frontier opened before is closed first).
     */
    protected abstract Frontier openAgain(FrontierSetup setup);

    /** Slots per host, eight leases each, no delay of their own. */
    private FrontierSetup setup() {
        SlotRules rules =
                new SlotRules(8, 0, Duration.ZERO, false, Map.of(), UnaryOperator.identity());
        Throttle throttle =
                new Throttle(
                        new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8)),
                        null,
                        new Random(7));
        return FrontierSetup.of(rules, throttle, ticker).withCrawl("robots");
    }

    /** The next run: the frontier opened again over the same store. */
    private RobotsTxtStore nextRun() {
        closeFrontier();
        current = openAgain(setup());
        return (RobotsTxtStore) current;
    }

    private Frontier frontier() {
        assertThat(current).isNotNull();
        return current;
    }

    @AfterEach
    void closeFrontier() {
        if (current != null) {
            current.close();
            current = null;
        }
    }

    private Instant now() {
        return ticker.now();
    }

    private RobotsTxtRecord rules(String origin, String text, Duration crawlDelay) {
        return new RobotsTxtRecord(
                origin,
                now(),
                RobotsTxtRecord.Kind.RULES,
                Body.utf8(text),
                "text/plain; charset=utf-8",
                crawlDelay);
    }

    @Test
    void robotsTxt_keptThenReopened_isTheRecordAsKept() {
        byte[] notUtf8 = {
            'U',
            's',
            'e',
            'r',
            '-',
            'a',
            'g',
            'e',
            'n',
            't',
            ':',
            ' ',
            '*',
            '\n',
            'D',
            'i',
            's',
            'a',
            'l',
            'l',
            'o',
            'w',
            ':',
            ' ',
            '/',
            (byte) 0xe9,
            '\n'
        };
        RobotsTxtRecord withRules =
                new RobotsTxtRecord(
                        A,
                        now(),
                        RobotsTxtRecord.Kind.RULES,
                        Body.wrap(notUtf8),
                        null,
                        Duration.ofMillis(2500));
        RobotsTxtRecord allowAll = RobotsTxtRecord.allowAll("https://b.test:8443", now());
        RobotsTxtStore first = nextRun();
        first.keepRobotsTxt(withRules);
        first.keepRobotsTxt(allowAll);

        RobotsTxtStore second = nextRun();

        assertThat(second.robotsTxt(A)).isEqualTo(withRules);
        assertThat(second.robotsTxt("https://b.test:8443")).isEqualTo(allowAll);
        assertThat(second.robotsTxt("http://c.test")).isNull();
    }

    @Test
    void keepRobotsTxt_sameOriginAgain_replacesTheEarlierRecord() {
        RobotsTxtStore store = nextRun();
        store.keepRobotsTxt(rules(A, "Disallow: /old\n", Duration.ofSeconds(5)));
        ticker.advance(Duration.ofHours(25));
        RobotsTxtRecord fetchedAgain = rules(A, "Disallow: /new\n", Duration.ZERO);
        store.keepRobotsTxt(fetchedAgain);

        RobotsTxtStore next = nextRun();

        assertThat(next.robotsTxt(A)).isEqualTo(fetchedAgain);
        assertThat(next.robotsTxtWithCrawlDelay()).as("it asks for none now").isEmpty();
    }

    @Test
    void robotsTxtWithCrawlDelay_holdsJustTheRecordsThatAskForOne_whateverTheirAge() {
        RobotsTxtStore store = nextRun();
        RobotsTxtRecord old = rules("http://old.test", "Crawl-delay: 9\n", Duration.ofSeconds(9));
        store.keepRobotsTxt(old);
        ticker.advance(Duration.ofDays(3));
        RobotsTxtRecord slow = rules(A, "Crawl-delay: 30\n", Duration.ofSeconds(30));
        store.keepRobotsTxt(slow);
        store.keepRobotsTxt(rules("http://fast.test", "Disallow:\n", Duration.ZERO));
        store.keepRobotsTxt(RobotsTxtRecord.allowAll("http://gone.test", now()));

        assertThat(nextRun().robotsTxtWithCrawlDelay()).containsExactlyInAnyOrder(old, slow);
    }

    @Test
    void crawlDelayFromFirstRequest_spacesTheOriginsSlotFromItsFirstLease() throws Exception {
        RobotsTxtStore store = nextRun();
        store.crawlDelayFromFirstRequest(A, Duration.ofSeconds(30));
        frontier()
                .add(
                        List.of(
                                Request.get(A + "/1"),
                                Request.get(A + "/2"),
                                Request.get("http://b.test/1"),
                                Request.get("http://b.test/2")));

        List<String> atOnce = takeAll();
        ticker.advance(Duration.ofSeconds(29));
        List<String> before = takeAll();
        ticker.advance(Duration.ofSeconds(1));
        List<String> after = takeAll();

        assertThat(atOnce)
                .as("one start of the slow origin, the other slot unhindered")
                .containsExactlyInAnyOrder(A + "/1", "http://b.test/1", "http://b.test/2");
        assertThat(before).isEmpty();
        assertThat(after).containsExactly(A + "/2");
    }

    @Test
    void crawlDelayFromFirstRequest_isKeptByTheSlotAfterTheLeaseEnds() throws Exception {
        RobotsTxtStore store = nextRun();
        store.crawlDelayFromFirstRequest(A, Duration.ofSeconds(10));
        frontier()
                .add(List.of(Request.get(A + "/1"), Request.get(A + "/2"), Request.get(A + "/3")));
        Lease first = frontier().take(Duration.ZERO);
        assertThat(first).isNotNull();
        frontier().done(first, List.of(), List.of(), SlotSignals.response(Duration.ZERO, 200));

        ticker.advance(Duration.ofSeconds(10));
        Lease second = frontier().take(Duration.ZERO);
        assertThat(second).isNotNull();
        frontier().done(second, List.of(), List.of(), SlotSignals.response(Duration.ZERO, 200));

        ticker.advance(Duration.ofSeconds(9));
        assertThat(frontier().take(Duration.ZERO)).as("the floor holds for later starts").isNull();
        ticker.advance(Duration.ofSeconds(1));
        assertThat(frontier().take(Duration.ZERO)).isNotNull();
    }

    private List<String> takeAll() throws InterruptedException {
        List<String> urls = new ArrayList<>();
        for (Lease lease = frontier().take(Duration.ZERO);
                lease != null;
                lease = frontier().take(Duration.ZERO)) {
            urls.add(lease.request().url());
        }
        return urls;
    }
}
