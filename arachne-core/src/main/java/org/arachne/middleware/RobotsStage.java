package org.arachne.middleware;

import crawlercommons.robots.BaseRobotRules;
import crawlercommons.robots.SimpleRobotRules;
import crawlercommons.robots.SimpleRobotRulesParser;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import org.arachne.frontier.RobotsTxtRecord;
import org.arachne.frontier.RobotsTxtStore;
import org.arachne.frontier.Ticker;
import org.arachne.http.Body;
import org.arachne.http.HttpClient5Downloader;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.arachne.url.Urls;
import org.jspecify.annotations.Nullable;

/**
 * Obeys robots.txt (RFC 9309) through crawler-commons' parser. A request of an origin whose rules
 * are not known yet queues that origin's robots.txt as an ordinary request (so politeness slots,
 * retries, redirects and the private-address guard apply to it as to any other) and is put back to
 * wait for it; once the rules are known, requests they forbid are dropped ({@code
 * robotstxt/forbidden}) and the others carry the origin's {@code Crawl-delay} to their slot.
 *
 * <p>The robots.txt request reads at most {@link #MAX_SIZE} bytes and is cut there rather than
 * failed (RFC 9309 section 2.5); what was read, up to its last whole line, is obeyed.
 *
 * <p>What the robots.txt response means: 2xx, the rules it holds; 4xx but 429, everything is
 * allowed; anything else that reaches this stage (a 5xx or 429 after its retries, a redirect not
 * followed, a download that failed for good) gives the origin up: its requests fail as {@code
 * robotstxt/gave_up}, and the origin counts once as the error {@code robotstxt/unavailable}.
 *
 * <p>With a {@link RobotsTxtStore} (the job dir's frontier, the Redis frontier), what each fetch
 * found is kept there (a 2xx's body, or that a 4xx allows everything; not a give-up, which the next
 * run asks again), and an origin the {@link RobotsStore} knows nothing of, or waits for, is first
 * looked up there (a worker sharing a Redis frontier finds what another worker fetched): a record
 * less than 24 hours old is read for this crawl's robot name and cap and used without fetching
 * robots.txt again ({@code robotstxt/restored}, counted once per origin and run), and {@link
 * #applyKeptCrawlDelays} hands the frontier the {@code Crawl-delay} of those that asked for one, so
 * their slots space the first requests of a resumed run too. A robots.txt request is not sent when
 * its origin's rules are known (one a killed run left queued after its fetch was kept).
 *
 * <p>Thread-safety: safe for concurrent use; the state is in the {@link RobotsStore}.
 */
public final class RobotsStage implements RequestStage, ResponseStage {
    /** Meta key of a robots.txt request: the origin whose rules it fetches. */
    public static final String ORIGIN_META = "robots_origin";

    /** Counted when a robots.txt was longer than {@link #MAX_SIZE} and only its start was read. */
    static final String TRUNCATED = "robotstxt/truncated";

    /** Counted when an origin's robots.txt was taken from an earlier run instead of fetched. */
    static final String RESTORED = "robotstxt/restored";

    /** The error kind of an origin whose robots.txt could not be fetched. */
    static final String UNAVAILABLE = "robotstxt/unavailable";

    /** Priority of a robots.txt request, so its slot takes it before the requests it gates. */
    static final int PRIORITY = 1_000_000;

    /** The first wait of a request for its origin's robots.txt; it grows with the wait, to 1 s. */
    static final Duration FIRST_WAIT = Duration.ofMillis(10);

    private static final Duration LONGEST_WAIT = Duration.ofSeconds(1);

    /**
     * The most bytes of a robots.txt read, whatever {@code download_maxsize} says: RFC 9309 section
     * 2.5 asks crawlers to parse at least the first 500 KiB, so a larger file is cut here and what
     * was read is obeyed ({@code robotstxt/truncated}) instead of giving its site up. 512 KiB is
     * the power of two just above 500 KiB (Google reads 500 KiB), small enough to hold for every
     * origin being fetched at once, and read even when {@code download_maxsize} is set lower for
     * pages.
     */
    public static final long MAX_SIZE = 512 * 1024;

    /** A robots.txt pending this long is taken for lost and queued again. */
    static final Duration STALE_PENDING = Duration.ofMinutes(10);

    private final RobotsStore store;
    private final @Nullable RobotsTxtStore kept;
    private final List<String> robotNames;
    private final Duration maxCrawlDelay;
    private final Consumer<Request> queue;
    private final Ticker ticker;
    // no limit in the parser (it would disallow the whole site): long delays are capped here
    private final SimpleRobotRulesParser parser =
            new SimpleRobotRulesParser(Long.MAX_VALUE, SimpleRobotRulesParser.DEFAULT_MAX_WARNINGS);

    /**
     * @param kept where robots.txt fetches are kept across runs (the job dir's frontier), or null
     * @param userAgent the crawl's User-Agent; its product token (before the first {@code /})
     *     selects the robots.txt group
     * @param maxCrawlDelay the longest {@code Crawl-delay} honoured; longer ones are capped to it
     * @param queue queues a robots.txt request in the frontier
     * @param ticker the crawl's clocks: the monotonic one for waits, the wall clock for the age of
     *     kept records
     */
    public RobotsStage(
            RobotsStore store,
            @Nullable RobotsTxtStore kept,
            String userAgent,
            Duration maxCrawlDelay,
            Consumer<Request> queue,
            Ticker ticker) {
        this.store = Objects.requireNonNull(store, "store");
        this.kept = kept;
        this.robotNames = List.of(productToken(userAgent));
        this.maxCrawlDelay = maxCrawlDelay;
        this.queue = queue;
        this.ticker = Objects.requireNonNull(ticker, "ticker");
    }

    /**
     * Hands the kept store's frontier the {@code Crawl-delay} (as this crawl obeys it) of every
     * origin whose kept record is less than 24 hours old and asks for one, so that its slot spaces
     * the origin's requests from the first one of this run. Called once as the crawl starts; does
     * nothing without a kept store.
     *
     * @return how many origins got a delay
     * @throws org.arachne.frontier.FrontierException when the kept store fails
     */
    public int applyKeptCrawlDelays() {
        if (kept == null) {
            return 0;
        }
        Instant now = ticker.now();
        int applied = 0;
        for (RobotsTxtRecord record : kept.robotsTxtWithCrawlDelay()) {
            if (record.lifeLeft(now).isPositive()) {
                Duration crawlDelay = known(record).crawlDelay();
                if (crawlDelay.isPositive()) {
                    kept.crawlDelayFromFirstRequest(record.origin(), crawlDelay);
                    applied++;
                }
            }
        }
        return applied;
    }

    /**
     * The product token of a User-Agent, lower case: {@code Arachne/0.1 (+url)} is {@code arachne}.
     */
    static String productToken(String userAgent) {
        String token = userAgent.trim();
        int cut = token.length();
        for (char c : new char[] {'/', ' ', ';', '('}) {
            int i = token.indexOf(c);
            if (i > 0) {
                cut = Math.min(cut, i);
            }
        }
        token = token.substring(0, cut).toLowerCase(Locale.ROOT);
        return token.isEmpty() ? "*" : token;
    }

    /** Whether the request fetches an origin's robots.txt for this stage. */
    public static boolean isRobotsRequest(Request request) {
        return request.meta(ORIGIN_META) != null;
    }

    @Override
    public StageResult<Request> onRequest(Request request, SlotReport slot) {
        if (Urls.isData(request.url())) {
            return StageResult.next(request); // no origin, no robots.txt (as in Scrapy)
        }
        String origin = Urls.origin(request.url());
        if (isRobotsRequest(request)) {
            return robotsRequest(request, origin);
        }
        if (request.url().equals(origin + "/robots.txt")) {
            return StageResult.next(request);
        }
        List<String> counters = new ArrayList<>(1);
        RobotsStore.Entry entry = entry(origin, counters);
        switch (entry) {
            case RobotsStore.Known known -> {
                if (!known.rules().isAllowed(request.url())) {
                    counters.add("robotstxt/forbidden");
                    return StageResult.end(new Outcome.Drop("forbidden by robots.txt", counters));
                }
                if (known.crawlDelay().isPositive()) {
                    slot.crawlDelay(known.crawlDelay());
                }
                return StageResult.next(request, counters);
            }
            case RobotsStore.GaveUp gaveUp -> {
                return StageResult.end(
                        new Outcome.Fail(
                                origin
                                        + "/robots.txt could not be fetched ("
                                        + gaveUp.reason()
                                        + ")",
                                "robotstxt/gave_up"));
            }
            case RobotsStore.Pending pending -> {
                return waitFor(request, origin, ticker.nanos() - pending.sinceNanos());
            }
            case null -> {
                return waitFor(request, origin, 0);
            }
        }
    }

    /**
     * What is known of the origin, taken from the kept store when the {@link RobotsStore} knows
     * nothing or waits for a fetch ({@link #RESTORED} is then added to {@code counters}): with a
     * frontier that workers share (Redis), another worker may have taken this one's robots.txt
     * request and kept what it found (#11).
     */
    private RobotsStore.@Nullable Entry entry(String origin, List<String> counters) {
        RobotsStore.Entry entry = store.get(origin);
        if ((entry == null || entry instanceof RobotsStore.Pending) && kept != null) {
            if (restore(kept, origin)) {
                counters.add(RESTORED);
            }
            entry = store.get(origin); // what this call or another one found meanwhile
        }
        return entry;
    }

    /**
     * A robots.txt request is sent unless its origin's rules are known already: it was queued by an
     * earlier run that stopped before the request ended (its fetch may have been kept even so), or
     * queued again after a fetch taken for lost that came back since. Nothing known, as for a
     * request an earlier run left queued: it is the origin's fetch under way, so the origin's other
     * requests wait for it instead of queueing another.
     */
    private StageResult<Request> robotsRequest(Request request, String origin) {
        List<String> counters = new ArrayList<>(1);
        RobotsStore.Entry entry = entry(origin, counters);
        if (entry instanceof RobotsStore.Known) {
            return StageResult.end(new Outcome.Drop("robots.txt known already", counters));
        }
        if (entry == null) {
            store.claim(origin, ticker.nanos(), STALE_PENDING);
        }
        return StageResult.next(request);
    }

    /**
     * Takes the origin's record from the kept store into the {@link RobotsStore} when it is less
     * than 24 hours old, for what is left of them.
     *
     * @return whether this call put it there
     */
    private boolean restore(RobotsTxtStore kept, String origin) {
        RobotsTxtRecord record = kept.robotsTxt(origin);
        if (record == null) {
            return false;
        }
        Duration left = record.lifeLeft(ticker.now());
        return left.isPositive() && store.restore(origin, known(record), left);
    }

    /** The rules of a kept record, read as a fetch now would read them. */
    private RobotsStore.Known known(RobotsTxtRecord record) {
        BaseRobotRules rules =
                switch (record.kind()) {
                    case RULES ->
                            parse(
                                    record.origin() + "/robots.txt",
                                    record.body().unsafeBytes(),
                                    record.contentType());
                    case ALLOW_ALL ->
                            new SimpleRobotRules(SimpleRobotRules.RobotRulesMode.ALLOW_ALL);
                };
        return new RobotsStore.Known(rules, crawlDelay(rules));
    }

    private BaseRobotRules parse(String url, byte[] body, @Nullable String contentType) {
        return parser.parseContent(
                url, body, contentType == null ? "text/plain" : contentType, robotNames);
    }

    /** Keeps what a fetch found where a later run finds it, when there is such a place. */
    private void keep(RobotsTxtRecord record) {
        if (kept != null) {
            kept.keepRobotsTxt(record);
        }
    }

    /** Queues the origin's robots.txt unless it is already; the request waits for it. */
    private StageResult<Request> waitFor(Request request, String origin, long waitedNanos) {
        if (store.claim(origin, ticker.nanos(), STALE_PENDING)) {
            queue.accept(
                    Request.get(origin + "/robots.txt")
                            .withDontFilter(true)
                            .withPriority(PRIORITY)
                            .withMeta(ORIGIN_META, origin)
                            .withMeta(HttpClient5Downloader.MAXSIZE_META, MAX_SIZE)
                            .withMeta(HttpClient5Downloader.TRUNCATE_META, true));
        }
        long wait = Math.min(LONGEST_WAIT.toNanos(), Math.max(FIRST_WAIT.toNanos(), waitedNanos));
        return StageResult.end(
                new Outcome.Wait(
                        request, Duration.ofNanos(wait), "waiting for " + origin + "/robots.txt"));
    }

    @Override
    public StageResult<Response> onResponse(Response response, SlotReport slot) {
        Request request = response.request();
        if (!isRobotsRequest(request)) {
            return StageResult.next(response);
        }
        String origin = String.valueOf(request.meta(ORIGIN_META));
        int status = response.status();
        BaseRobotRules rules;
        RobotsTxtRecord found;
        List<String> counters = List.of();
        if (status >= 200 && status < 300) {
            byte[] body = response.body().unsafeBytes();
            if (response.truncated()) {
                // cut at MAX_SIZE: a rule cut mid-line would be half read (Disallow: /p for
                // /private/), so the text ends at the last line break
                body = Arrays.copyOf(body, lastLineEnd(body));
                counters = List.of(TRUNCATED);
            }
            rules = parse(request.url(), body, response.contentType());
            found =
                    new RobotsTxtRecord(
                            origin,
                            ticker.now(),
                            RobotsTxtRecord.Kind.RULES,
                            Body.wrap(body),
                            response.contentType(),
                            Duration.ofMillis(Math.max(0, rules.getCrawlDelay())));
        } else if (status >= 400 && status < 500 && status != 429) {
            rules = new SimpleRobotRules(SimpleRobotRules.RobotRulesMode.ALLOW_ALL);
            found = RobotsTxtRecord.allowAll(origin, ticker.now());
        } else {
            // a 5xx or 429 comes here once the retry stage gave up on it
            int retries = RetryPolicy.retries(request);
            String why =
                    "HTTP "
                            + status
                            + (retries > 0 ? " (gave up after " + retries + " retries)" : "");
            return StageResult.end(giveUp(origin, why, List.of()));
        }
        Duration crawlDelay = crawlDelay(rules);
        store.put(origin, new RobotsStore.Known(rules, crawlDelay));
        keep(found);
        if (crawlDelay.isPositive()) {
            slot.crawlDelay(crawlDelay);
        }
        return StageResult.end(new Outcome.Drop("robots.txt read", counters));
    }

    /** The length of the text up to its last line break ({@code \n} or {@code \r}), included. */
    private static int lastLineEnd(byte[] text) {
        for (int i = text.length - 1; i >= 0; i--) {
            if (text[i] == '\n' || text[i] == '\r') {
                return i + 1;
            }
        }
        return 0;
    }

    private Duration crawlDelay(BaseRobotRules rules) {
        long millis = rules.getCrawlDelay();
        if (millis <= 0) {
            return Duration.ZERO;
        }
        Duration asked = Duration.ofMillis(millis);
        return asked.compareTo(maxCrawlDelay) > 0 ? maxCrawlDelay : asked;
    }

    /**
     * A robots.txt request failed for good: its origin is given up, unless it already is or its
     * rules were read before the failure (the lease's commit failed, say).
     */
    @Override
    public Outcome.Fail failed(Request request, Outcome.Fail failure) {
        if (!isRobotsRequest(request) || failure.errorKind().equals(UNAVAILABLE)) {
            return failure;
        }
        String origin = String.valueOf(request.meta(ORIGIN_META));
        if (store.get(origin) instanceof RobotsStore.Known) {
            return failure;
        }
        if (failure.errorKind().startsWith("redirect/")) {
            // RFC 9309 2.3.1.2: too many redirects (or a loop) make the file "unavailable", and
            // 2.3.1.3: then the crawler may access any resource, as for a 4xx
            store.put(
                    origin,
                    new RobotsStore.Known(
                            new SimpleRobotRules(SimpleRobotRules.RobotRulesMode.ALLOW_ALL),
                            Duration.ZERO));
            keep(RobotsTxtRecord.allowAll(origin, ticker.now()));
            return new Outcome.Fail(
                    origin
                            + "/robots.txt cannot be reached by its redirects ("
                            + failure.reason()
                            + "); everything is allowed, as RFC 9309 says",
                    UNAVAILABLE,
                    failure.counters());
        }
        return giveUp(origin, failure.reason(), failure.counters());
    }

    private Outcome.Fail giveUp(String origin, String why, List<String> counters) {
        store.put(origin, new RobotsStore.GaveUp(why));
        return new Outcome.Fail(
                origin + "/robots.txt unavailable (" + why + "); its requests fail",
                UNAVAILABLE,
                counters);
    }
}
