package org.arachne.middleware;

import crawlercommons.robots.BaseRobotRules;
import crawlercommons.robots.SimpleRobotRules;
import crawlercommons.robots.SimpleRobotRulesParser;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;
import org.arachne.engine.Stats;
import org.arachne.http.DownloadException;
import org.arachne.http.Downloader;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.arachne.url.Urls;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Obeys robots.txt (RFC 9309) through crawler-commons' parser. Each origin's robots.txt is fetched
 * once, by the first request leased for that origin and under that request's slot permit, so the
 * fetch itself is polite; requests that arrive while it is under way wait for it. 2xx responses are
 * parsed; 4xx means everything is allowed; 5xx, 429 and network errors mean nothing is allowed for
 * now and the fetch is tried again later (up to {@code maxAttempts} times, then the origin is given
 * up as disallowed, counted and logged).
 *
 * <p>Thread-safety: safe for concurrent use.
 */
public final class RobotsMiddleware {
    private static final Logger LOG = LoggerFactory.getLogger(RobotsMiddleware.class);
    private static final int MAX_ROBOTS_REDIRECTS = 5;

    private final Downloader downloader;
    private final List<String> robotNames;
    private final Stats stats;
    private final Duration retryBase;
    private final int maxAttempts;
    private final LongSupplier nanoClock;
    private final Duration maxCrawlDelay;
    // no limit in the parser (it would disallow the whole site): long delays are capped here
    private final SimpleRobotRulesParser parser =
            new SimpleRobotRulesParser(Long.MAX_VALUE, SimpleRobotRulesParser.DEFAULT_MAX_WARNINGS);
    private final ConcurrentHashMap<String, CompletableFuture<OriginRules>> origins =
            new ConcurrentHashMap<>();

    /** What to do with a leased request. */
    public enum Verdict {
        /** Download it. */
        ALLOWED,
        /** Drop it: robots.txt forbids it. */
        DISALLOWED,
        /**
         * Put it back in the frontier: this lease was used to fetch robots.txt or waited for it, so
         * its slot start belongs to the robots.txt request.
         */
        REQUEUE,
        /** Put it back until robots.txt is tried again ({@link #retryDelay}). */
        UNAVAILABLE,
        /** Fail it: robots.txt could not be fetched after every attempt. */
        GAVE_UP
    }

    /**
     * @param userAgent the crawl's User-Agent; its product token (before the first {@code /})
     *     selects the robots.txt group
     * @param retryBase wait before the second attempt at an unavailable robots.txt; doubles after
     * @param maxAttempts fetches of an unavailable robots.txt before giving up on the origin
     * @param maxCrawlDelay the longest {@code Crawl-delay} honoured; longer ones are capped to it
     */
    public RobotsMiddleware(
            Downloader downloader,
            String userAgent,
            Stats stats,
            Duration retryBase,
            int maxAttempts,
            Duration maxCrawlDelay,
            LongSupplier nanoClock) {
        this.downloader = downloader;
        this.robotNames = List.of(productToken(userAgent));
        this.stats = stats;
        this.retryBase = retryBase;
        this.maxAttempts = Math.max(1, maxAttempts);
        this.maxCrawlDelay = maxCrawlDelay;
        this.nanoClock = nanoClock;
    }

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

    /**
     * Checks a leased request. May block while this thread fetches robots.txt or waits for another
     * thread's fetch.
     */
    public Verdict check(Request request) throws InterruptedException {
        String origin = origin(request.url());
        if (isRobotsUrl(request.url(), origin)) {
            return Verdict.ALLOWED;
        }
        while (true) {
            CompletableFuture<OriginRules> mine = new CompletableFuture<>();
            CompletableFuture<OriginRules> current = origins.putIfAbsent(origin, mine);
            if (current == null) {
                mine.complete(fetch(origin, 1));
                return Verdict.REQUEUE;
            }
            if (!current.isDone()) {
                await(current);
                return Verdict.REQUEUE;
            }
            OriginRules rules = await(current);
            if (rules.rules != null) {
                if (rules.rules.isAllowed(request.url())) {
                    return Verdict.ALLOWED;
                }
                stats.inc("robotstxt/forbidden");
                return Verdict.DISALLOWED;
            }
            if (rules.attempts >= maxAttempts) {
                return Verdict.GAVE_UP;
            }
            if (nanoClock.getAsLong() < rules.retryAtNanos) {
                return Verdict.UNAVAILABLE;
            }
            CompletableFuture<OriginRules> retry = new CompletableFuture<>();
            if (origins.replace(origin, current, retry)) {
                retry.complete(fetch(origin, rules.attempts + 1));
                return Verdict.REQUEUE;
            }
            // another thread started the next attempt; look again
        }
    }

    /**
     * The {@code Crawl-delay} that the robots.txt of this request's origin asks of us, capped at
     * {@code robotstxt_max_crawl_delay}; zero when it asks none or is not known yet.
     */
    public Duration crawlDelay(Request request) {
        CompletableFuture<OriginRules> f = origins.get(origin(request.url()));
        if (f == null || !f.isDone() || f.join().rules == null) {
            return Duration.ZERO;
        }
        long millis = f.join().rules.getCrawlDelay();
        if (millis <= 0) {
            return Duration.ZERO;
        }
        Duration asked = Duration.ofMillis(millis);
        return asked.compareTo(maxCrawlDelay) > 0 ? maxCrawlDelay : asked;
    }

    /** How long until an unavailable robots.txt of this request's origin is tried again. */
    public Duration retryDelay(Request request) {
        CompletableFuture<OriginRules> f = origins.get(origin(request.url()));
        if (f == null || !f.isDone()) {
            return Duration.ZERO;
        }
        OriginRules rules = f.join();
        return Duration.ofNanos(Math.max(0, rules.retryAtNanos - nanoClock.getAsLong()));
    }

    private static OriginRules await(CompletableFuture<OriginRules> future)
            throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("robots.txt fetch cannot fail exceptionally", e);
        }
    }

    private OriginRules fetch(String origin, int attempt) throws InterruptedException {
        String url = origin + "/robots.txt";
        stats.inc("robotstxt/request_count");
        try {
            Response response = downloader.fetch(Request.get(url).withDontFilter(true));
            for (int hops = 0;
                    hops < MAX_ROBOTS_REDIRECTS && isRedirect(response.status());
                    hops++) {
                String location = response.headers().first("Location");
                if (location == null) {
                    break;
                }
                String target = Urls.resolve(response.url(), location);
                response = downloader.fetch(Request.get(target).withDontFilter(true));
            }
            int status = response.status();
            stats.inc("robotstxt/response_status_count/" + status);
            if (status >= 200 && status < 300) {
                BaseRobotRules rules =
                        parser.parseContent(
                                url,
                                response.body().unsafeBytes(),
                                response.contentType() == null
                                        ? "text/plain"
                                        : response.contentType(),
                                robotNames);
                return OriginRules.known(rules);
            }
            if (status >= 400 && status < 500 && status != 429) {
                return OriginRules.known(
                        new SimpleRobotRules(SimpleRobotRules.RobotRulesMode.ALLOW_ALL));
            }
            return unavailable(origin, attempt, "status " + status);
        } catch (DownloadException e) {
            stats.inc("robotstxt/exception_count/" + e.kind().statName());
            return unavailable(origin, attempt, e.getMessage());
        } catch (IllegalArgumentException e) {
            stats.inc("robotstxt/exception_count/bad_redirect");
            return unavailable(origin, attempt, e.getMessage());
        }
    }

    private OriginRules unavailable(String origin, int attempt, String why) {
        long wait = retryBase.toNanos() << Math.min(attempt - 1, 20);
        if (attempt >= maxAttempts) {
            stats.countError("robotstxt/unavailable");
            LOG.error(
                    "{}/robots.txt unavailable after {} attempts ({}); its requests fail",
                    origin,
                    attempt,
                    why);
        } else {
            LOG.warn(
                    "{}/robots.txt unavailable ({}); its requests wait and it is tried again",
                    origin,
                    why);
        }
        return new OriginRules(null, attempt, nanoClock.getAsLong() + wait);
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static boolean isRobotsUrl(String url, String origin) {
        return url.equals(origin + "/robots.txt");
    }

    /** scheme://host[:port] of a URL, lower case. */
    static String origin(String url) {
        return Urls.origin(url);
    }

    private record OriginRules(@Nullable BaseRobotRules rules, int attempts, long retryAtNanos) {
        static OriginRules known(BaseRobotRules rules) {
            return new OriginRules(rules, 0, 0);
        }
    }
}
