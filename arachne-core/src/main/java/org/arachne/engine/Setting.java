package org.arachne.engine;

import static org.arachne.engine.SettingCheck.above;
import static org.arachne.engine.SettingCheck.atLeast;
import static org.arachne.engine.SettingCheck.between;
import static org.arachne.engine.SettingCheck.notNegativeDuration;
import static org.arachne.engine.SettingCheck.notNegativeSize;
import static org.arachne.engine.SettingCheck.positiveDuration;
import static org.arachne.engine.SettingCheck.positiveSize;
import static org.arachne.engine.SettingType.BOOLEAN;
import static org.arachne.engine.SettingType.DURATION;
import static org.arachne.engine.SettingType.LIST;
import static org.arachne.engine.SettingType.MAP;
import static org.arachne.engine.SettingType.NUMBER;
import static org.arachne.engine.SettingType.SIZE;
import static org.arachne.engine.SettingType.TEXT;
import static org.arachne.engine.SettingType.WHOLE_NUMBER;
import static org.arachne.engine.SettingType.WHOLE_NUMBER_LIST;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.arachne.frontier.CrawlOrder;
import org.arachne.http.DownloaderConfig;
import org.arachne.http.Headers;
import org.arachne.http.HttpProxy;
import org.arachne.politeness.SlotOverride;
import org.arachne.url.IpLiteral;
import org.jspecify.annotations.Nullable;

/**
 * One known setting: its key (Scrapy's name, snake_case), the type of its value with the parser and
 * the rule that check it, its default and a one-line description. Every setting Arachne reads is
 * declared here once, as a constant; {@link Settings} refuses unknown keys (so a typo is an error
 * instead of a silent no-op) and parses every value when it is set, so {@link
 * Settings#get(Setting)} returns it typed.
 *
 * @param <T> the type of the parsed value
 */
public final class Setting<T> {
    // Filled by the constructor, in declaration order (the README's); copied into ALL below.
    private static final List<Setting<?>> DECLARED = new ArrayList<>();

    // concurrency and politeness

    public static final Setting<Integer> CONCURRENT_REQUESTS =
            new Setting<>(
                    "concurrent_requests",
                    WHOLE_NUMBER,
                    16,
                    atLeast(1),
                    "requests in flight at once, in all");
    public static final Setting<Integer> CONCURRENT_REQUESTS_PER_DOMAIN =
            new Setting<>(
                    "concurrent_requests_per_domain",
                    WHOLE_NUMBER,
                    8,
                    atLeast(1),
                    "requests in flight at once per domain");
    public static final Setting<Integer> CONCURRENT_REQUESTS_PER_IP =
            new Setting<>(
                    "concurrent_requests_per_ip",
                    WHOLE_NUMBER,
                    0,
                    atLeast(0),
                    "0: slots per domain; above 0: slots per resolved IP, with this limit");
    public static final Setting<Duration> DOWNLOAD_DELAY =
            new Setting<>(
                    "download_delay",
                    DURATION,
                    Duration.ZERO,
                    notNegativeDuration(),
                    "minimum gap between request starts in one slot");
    public static final Setting<Boolean> RANDOMIZE_DOWNLOAD_DELAY =
            new Setting<>(
                    "randomize_download_delay",
                    BOOLEAN,
                    true,
                    "wait 0.5 to 1.5 times `download_delay`");
    public static final Setting<Boolean> AUTOTHROTTLE_ENABLED =
            new Setting<>(
                    "autothrottle_enabled",
                    BOOLEAN,
                    false,
                    "adapt each slot's delay to the server's latency (Scrapy's AutoThrottle)");
    public static final Setting<Duration> AUTOTHROTTLE_START_DELAY =
            new Setting<>(
                    "autothrottle_start_delay",
                    DURATION,
                    Duration.ofSeconds(5),
                    notNegativeDuration(),
                    "AutoThrottle: a slot's first delay");
    public static final Setting<Duration> AUTOTHROTTLE_MAX_DELAY =
            new Setting<>(
                    "autothrottle_max_delay",
                    DURATION,
                    Duration.ofSeconds(60),
                    notNegativeDuration(),
                    "AutoThrottle: the longest delay");
    public static final Setting<Double> AUTOTHROTTLE_TARGET_CONCURRENCY =
            new Setting<>(
                    "autothrottle_target_concurrency",
                    NUMBER,
                    1.0,
                    above(0),
                    "AutoThrottle: requests the server should handle at once, on average");
    public static final Setting<Boolean> AUTOTHROTTLE_DEBUG =
            new Setting<>(
                    "autothrottle_debug",
                    BOOLEAN,
                    false,
                    "AutoThrottle: log every delay change with the latency behind it");
    public static final Setting<Boolean> ROBOTSTXT_OBEY =
            new Setting<>(
                    "robotstxt_obey", BOOLEAN, true, "fetch robots.txt once per host and obey it");
    public static final Setting<Duration> ROBOTSTXT_MAX_CRAWL_DELAY =
            new Setting<>(
                    "robotstxt_max_crawl_delay",
                    DURATION,
                    Duration.ofSeconds(30),
                    notNegativeDuration(),
                    "longest robots.txt `Crawl-delay` honoured; longer ones are capped to it");
    public static final Setting<List<String>> ALLOWED_DOMAINS =
            new Setting<>(
                    "allowed_domains",
                    LIST,
                    List.of(),
                    "stay inside these domains and their subdomains (empty: no limit)");
    public static final Setting<Map<String, String>> DNS_OVERRIDES =
            new Setting<>(
                    "dns_overrides",
                    MAP,
                    Map.of(),
                    new SettingCheck<>(
                            map -> map.values().stream().allMatch(Setting::isIpAddress),
                            "each value an IP address"),
                    "host name to IP address map used instead of DNS (like `curl --resolve`)");
    public static final Setting<Map<String, SlotOverride>> DOWNLOAD_SLOTS =
            new Setting<>(
                    "download_slots",
                    SlotOverrides.TYPE,
                    Map.of(),
                    "per-slot `concurrency`, `delay` and `randomize_delay`, e.g. `{a.test:"
                            + " {concurrency: 1, delay: 2s}}` (a JSON object with `-s`)");

    // requests

    public static final Setting<String> USER_AGENT =
            new Setting<>(
                    "user_agent",
                    TEXT,
                    DownloaderConfig.DEFAULT_USER_AGENT,
                    "User-Agent header of requests that set none");
    public static final Setting<Map<String, String>> DEFAULT_REQUEST_HEADERS =
            new Setting<>(
                    "default_request_headers",
                    MAP,
                    asMap(DownloaderConfig.DEFAULT_HEADERS),
                    new SettingCheck<>(
                            map -> map.keySet().stream().noneMatch(String::isBlank),
                            "no header name blank"),
                    "headers added to requests that lack them");
    public static final Setting<Boolean> COOKIES_ENABLED =
            new Setting<>(
                    "cookies_enabled",
                    BOOLEAN,
                    true,
                    "keep cookies from responses and send them back");

    public static final Setting<Boolean> REFERER_ENABLED =
            new Setting<>(
                    "referer_enabled",
                    BOOLEAN,
                    true,
                    "send the page a request was found on as its Referer (not from https to http)");

    // downloads

    public static final Setting<Duration> DOWNLOAD_TIMEOUT =
            new Setting<>(
                    "download_timeout",
                    DURATION,
                    Duration.ofSeconds(30),
                    positiveDuration(),
                    "time limit for a whole download");
    public static final Setting<Long> DOWNLOAD_MAXSIZE =
            new Setting<>(
                    "download_maxsize",
                    SIZE,
                    64L << 20,
                    positiveSize(),
                    "largest body accepted, after decompression; meta `download_maxsize` sets it"
                            + " per request, above or below (robots.txt reads at most 512 KiB)");
    public static final Setting<Long> DOWNLOAD_WARNSIZE =
            new Setting<>(
                    "download_warnsize",
                    SIZE,
                    32L << 20,
                    notNegativeSize(),
                    "log a warning for bodies larger than this (0: never)");
    public static final Setting<Long> DOWNLOAD_INFLIGHT_BYTES =
            new Setting<>(
                    "download_inflight_bytes",
                    SIZE,
                    256L << 20,
                    positiveSize(),
                    "most bytes the bodies being downloaded hold at once; a body waits for room");
    public static final Setting<Boolean> RETRY_ENABLED =
            new Setting<>(
                    "retry_enabled",
                    BOOLEAN,
                    true,
                    "retry failed downloads and `retry_http_codes`");
    public static final Setting<Integer> RETRY_TIMES =
            new Setting<>(
                    "retry_times", WHOLE_NUMBER, 2, atLeast(0), "retries after the first attempt");
    public static final Setting<List<Integer>> RETRY_HTTP_CODES =
            new Setting<>(
                    "retry_http_codes",
                    WHOLE_NUMBER_LIST,
                    List.of(500, 502, 503, 504, 522, 524, 408, 429),
                    new SettingCheck<>(
                            codes -> codes.stream().allMatch(c -> c >= 100 && c <= 599),
                            "each from 100 to 599"),
                    "response codes that are retried");
    public static final Setting<Duration> RETRY_BACKOFF_BASE =
            new Setting<>(
                    "retry_backoff_base",
                    DURATION,
                    Duration.ofSeconds(1),
                    notNegativeDuration(),
                    "first retry waits about this long, doubling each time (with jitter)");
    public static final Setting<Duration> RETRY_BACKOFF_MAX =
            new Setting<>(
                    "retry_backoff_max",
                    DURATION,
                    Duration.ofSeconds(60),
                    notNegativeDuration(),
                    "longest wait between retries; a longer `Retry-After` fails the request"
                            + " instead");
    public static final Setting<Boolean> REDIRECT_ENABLED =
            new Setting<>(
                    "redirect_enabled",
                    BOOLEAN,
                    true,
                    "follow 301, 302, 303, 307 and 308 redirects");
    public static final Setting<Integer> REDIRECT_MAX_TIMES =
            new Setting<>(
                    "redirect_max_times",
                    WHOLE_NUMBER,
                    20,
                    atLeast(0),
                    "longest redirect chain followed");
    public static final Setting<Boolean> METAREFRESH_ENABLED =
            new Setting<>(
                    "metarefresh_enabled",
                    BOOLEAN,
                    true,
                    "follow HTML `<meta http-equiv=\"refresh\">` redirects");
    public static final Setting<Duration> METAREFRESH_MAXDELAY =
            new Setting<>(
                    "metarefresh_maxdelay",
                    DURATION,
                    Duration.ofSeconds(100),
                    notNegativeDuration(),
                    "meta refreshes with this delay or longer are not followed");
    public static final Setting<Optional<HttpProxy>> PROXY =
            new Setting<>(
                    "proxy",
                    SettingType.PROXY,
                    Optional.empty(),
                    "http proxy for every request, e.g. `http://user:pass@host:port` (empty:"
                            + " none); meta `proxy` overrides it per request");
    public static final Setting<Boolean> HTTP2_ENABLED =
            new Setting<>(
                    "http2_enabled",
                    BOOLEAN,
                    true,
                    "offer HTTP/2 to https servers (ALPN) and use it where they accept");
    public static final Setting<Boolean> DENY_PRIVATE_ADDRESSES =
            new Setting<>(
                    "deny_private_addresses",
                    BOOLEAN,
                    false,
                    "refuse hosts that resolve to loopback, private, link-local or multicast"
                            + " addresses");

    // scheduling

    public static final Setting<Integer> DEPTH_LIMIT =
            new Setting<>(
                    "depth_limit",
                    WHOLE_NUMBER,
                    0,
                    atLeast(0),
                    "deepest link depth crawled (0: no limit)");
    public static final Setting<Integer> URL_LENGTH_LIMIT =
            new Setting<>(
                    "url_length_limit",
                    WHOLE_NUMBER,
                    2083,
                    atLeast(0),
                    "longest URL crawled, in characters (0: no limit)");
    public static final Setting<CrawlOrder> CRAWL_ORDER =
            new Setting<>(
                    "crawl_order",
                    SettingType.oneOf(CrawlOrder.class),
                    CrawlOrder.BFS,
                    "bfs (breadth first) or dfs (depth first)");
    public static final Setting<Boolean> DEDUP =
            new Setting<>(
                    "dedup", BOOLEAN, true, "drop requests whose fingerprint was seen before");
    public static final Setting<String> DUPEFILTER =
            new Setting<>(
                    "dupefilter",
                    SettingType.oneOf("exact", "bloom"),
                    "exact",
                    "exact (64-bit fingerprints in a hash set) or bloom (a few bits per request,"
                            + " rare false positives)");
    public static final Setting<Integer> DUPEFILTER_EXPECTED_COUNT =
            new Setting<>(
                    "dupefilter_expected_count",
                    WHOLE_NUMBER,
                    1_000_000,
                    atLeast(1),
                    "bloom: requests the crawl is expected to see; the filter is sized for it");
    public static final Setting<Double> DUPEFILTER_FALSE_POSITIVE_RATE =
            new Setting<>(
                    "dupefilter_false_positive_rate",
                    NUMBER,
                    0.001,
                    between(0, 1),
                    "bloom: chance that a new request is taken for a seen one, up to the expected"
                            + " count");
    public static final Setting<Integer> SCHEDULER_MEMORY_QUEUE_LIMIT =
            new Setting<>(
                    "scheduler_memory_queue_limit",
                    WHOLE_NUMBER,
                    200_000,
                    atLeast(1),
                    "queued requests kept in memory; the rest wait in files on disk");
    public static final Setting<Optional<Path>> JOB_DIR =
            new Setting<>(
                    "job_dir",
                    SettingType.OPTIONAL_PATH,
                    Optional.empty(),
                    "directory keeping the crawl's state, so that the same command resumes it"
                            + " after any stop (empty: the queue lives in memory)");
    public static final Setting<Duration> LEASE_DURATION =
            new Setting<>(
                    "lease_duration",
                    DURATION,
                    Duration.ofMinutes(1),
                    positiveDuration(),
                    "how long a taken request stays a worker's unless renewed (every third of it):"
                            + " a killed Redis worker's requests are taken by others after this");
    public static final Setting<Duration> RECRAWL_AFTER =
            new Setting<>(
                    "recrawl_after",
                    DURATION,
                    Duration.ZERO,
                    notNegativeDuration(),
                    "with a job dir: a run of a finished job fetches again the pages fetched"
                            + " longer ago than this, asking the server whether they changed (0:"
                            + " never)");
    public static final Setting<String> RECRAWL_ITEMS =
            new Setting<>(
                    "recrawl_items",
                    SettingType.oneOf("changed", "all"),
                    "changed",
                    "changed (a recrawled page gives items only when it changed: a 304 or the"
                            + " same body gives none) or all (every page fetched whole again, with"
                            + " its items)");

    // ending

    public static final Setting<Integer> CLOSESPIDER_ITEMCOUNT =
            new Setting<>(
                    "closespider_itemcount",
                    WHOLE_NUMBER,
                    0,
                    atLeast(0),
                    "stop after this many items (0: no limit)");
    public static final Setting<Integer> CLOSESPIDER_PAGECOUNT =
            new Setting<>(
                    "closespider_pagecount",
                    WHOLE_NUMBER,
                    0,
                    atLeast(0),
                    "stop after this many responses (0: no limit)");
    public static final Setting<Duration> CLOSESPIDER_TIMEOUT =
            new Setting<>(
                    "closespider_timeout",
                    DURATION,
                    Duration.ZERO,
                    notNegativeDuration(),
                    "stop after this long (0: no limit)");
    public static final Setting<Integer> CLOSESPIDER_ERRORCOUNT =
            new Setting<>(
                    "closespider_errorcount",
                    WHOLE_NUMBER,
                    0,
                    atLeast(0),
                    "stop after this many errors (0: no limit)");

    // output

    public static final Setting<List<String>> FEED_EXPORT_FIELDS =
            new Setting<>(
                    "feed_export_fields",
                    LIST,
                    List.of(),
                    new SettingCheck<>(
                            names ->
                                    names.stream().noneMatch(String::isBlank)
                                            && names.stream().distinct().count() == names.size(),
                            "no name blank or given twice"),
                    "fields written to every feed, in this order (a CSV file's columns); empty:"
                            + " every field (CSV: the fields the spider declares, else the first"
                            + " item's)");
    public static final Setting<Optional<Path>> FAILED_FILE =
            new Setting<>(
                    "failed_file",
                    SettingType.OPTIONAL_PATH,
                    Optional.empty(),
                    "JSON Lines file listing every request that failed for good (empty:"
                            + " `failed.jsonl` in `job_dir`, none without one)");
    public static final Setting<Boolean> RETRY_FAILED =
            new Setting<>(
                    "retry_failed",
                    BOOLEAN,
                    false,
                    "with `job_dir`: queue the requests that failed for good in earlier runs"
                            + " again before the crawl goes on");
    public static final Setting<String> LOG_LEVEL =
            new Setting<>(
                    "log_level",
                    SettingType.oneOf(
                            "critical", "error", "warning", "warn", "info", "debug", "trace"),
                    "info",
                    "error, warn, info, debug or trace, any case; Scrapy's `CRITICAL` (as error)"
                            + " and `WARNING` too");

    /** Every known setting by key, in the order the README documents them. */
    public static final Map<String, Setting<?>> ALL = byKey(DECLARED);

    private final String key;
    private final SettingType<T> type;
    private final T defaultValue;
    private final @Nullable SettingCheck<T> check;
    private final String description;
    private final int index;

    private Setting(String key, SettingType<T> type, T defaultValue, String description) {
        this(key, type, defaultValue, null, description);
    }

    private Setting(
            String key,
            SettingType<T> type,
            T defaultValue,
            @Nullable SettingCheck<T> check,
            String description) {
        this.key = key;
        this.type = type;
        this.check = check;
        this.description = description;
        this.index = DECLARED.size();
        this.defaultValue = defaultValue;
        DECLARED.add(this);
        if (!type.parse(defaultValue).equals(defaultValue) || !meetsCheck(defaultValue)) {
            throw new IllegalStateException("the default of '" + key + "' is not a valid value");
        }
    }

    /** The key, as written in YAML and {@code -s key=value}. */
    public String key() {
        return key;
    }

    /** The value when the setting is not set (or set to null). */
    public T defaultValue() {
        return defaultValue;
    }

    /** One line on what the setting does, as in the README's table (Markdown code spans). */
    public String description() {
        return description;
    }

    /**
     * Reads a value the way {@link Settings#with} does: a string (from {@code -s key=value}) or a
     * typed value (from YAML or Java), null giving the default.
     *
     * @throws IllegalArgumentException naming the setting, the value and what is expected
     */
    public T parse(@Nullable Object value) {
        if (value == null) {
            return defaultValue;
        }
        T parsed;
        try {
            parsed = type.parse(value);
        } catch (SettingType.Rejected r) {
            throw new IllegalArgumentException(
                    "setting '"
                            + key
                            + "' has "
                            + (r.found != null ? r.found : "value '" + type.show(value) + "'")
                            + (r.where != null ? " at " + r.where : "")
                            + ", expected "
                            + (r.expected != null ? r.expected : expected()));
        }
        if (!meetsCheck(parsed)) {
            throw new IllegalArgumentException(
                    "setting '"
                            + key
                            + "' has value '"
                            + type.show(value)
                            + "', expected "
                            + expected());
        }
        return parsed;
    }

    /** What a value must be: its type and its rule ({@code a whole number, at least 1}). */
    String expected() {
        return type.expected() + (check == null ? "" : ", " + check.text());
    }

    /** The default as the README's table shows it ({@code 64MiB}, {@code 30s}; empty for none). */
    String defaultText() {
        return type.format(defaultValue);
    }

    /**
     * A value of this setting as text: {@code bfs}, {@code 30s}; a proxy with its password masked.
     */
    String format(Object parsed) {
        return type.format(type.parse(parsed));
    }

    /** A value as given, for messages: proxy credentials masked. */
    String show(Object value) {
        return type.show(value);
    }

    /** Position in {@link #ALL}, for {@link Settings}' array of values. */
    int index() {
        return index;
    }

    /** The key. */
    @Override
    public String toString() {
        return key;
    }

    private boolean meetsCheck(T value) {
        return check == null || check.test().test(value);
    }

    private static boolean isIpAddress(String value) {
        return IpLiteral.isLiteral(value.strip()); // as HostResolver reads overrides
    }

    private static Map<String, String> asMap(Headers headers) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < headers.size(); i++) {
            map.put(headers.name(i), headers.value(i));
        }
        return Collections.unmodifiableMap(map);
    }

    private static Map<String, Setting<?>> byKey(List<Setting<?>> settings) {
        Map<String, Setting<?>> map = new LinkedHashMap<>();
        for (Setting<?> s : settings) {
            if (map.put(s.key, s) != null) {
                throw new IllegalStateException("setting '" + s.key + "' is declared twice");
            }
        }
        return Collections.unmodifiableMap(map);
    }
}
