package org.arachne.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One known setting: its key (Scrapy's name, snake_case), default and a one-line description. Every
 * setting Arachne reads is declared here once; {@link Settings} refuses unknown keys so a typo is
 * an error instead of a silent no-op.
 */
public record Setting(String key, @Nullable Object defaultValue, String description) {

    /** Every known setting, in the order the README documents them. */
    public static final Map<String, Setting> ALL =
            declare(
                    // concurrency and politeness
                    new Setting("concurrent_requests", 16, "requests in flight at once, in all"),
                    new Setting(
                            "concurrent_requests_per_domain",
                            8,
                            "requests in flight at once per domain"),
                    new Setting(
                            "concurrent_requests_per_ip",
                            0,
                            "0: slots per domain; above 0: slots per resolved IP, with this limit"),
                    new Setting(
                            "download_delay",
                            "0s",
                            "minimum gap between request starts in one slot"),
                    new Setting(
                            "randomize_download_delay",
                            true,
                            "wait 0.5 to 1.5 times download_delay"),
                    new Setting(
                            "autothrottle_enabled",
                            false,
                            "adapt each slot's delay to the server's latency (Scrapy's AutoThrottle)"),
                    new Setting(
                            "autothrottle_start_delay", "5s", "AutoThrottle: a slot's first delay"),
                    new Setting("autothrottle_max_delay", "60s", "AutoThrottle: the longest delay"),
                    new Setting(
                            "autothrottle_target_concurrency",
                            1.0,
                            "AutoThrottle: requests the server should handle at once, on average"),
                    new Setting(
                            "autothrottle_debug",
                            false,
                            "AutoThrottle: log every delay change with the latency behind it"),
                    new Setting(
                            "robotstxt_obey", true, "fetch robots.txt once per host and obey it"),
                    new Setting(
                            "robotstxt_max_crawl_delay",
                            "30s",
                            "longest robots.txt Crawl-delay honoured; longer ones are capped to it"),
                    new Setting(
                            "allowed_domains",
                            List.of(),
                            "stay inside these domains and their subdomains (empty: no limit)"),
                    new Setting(
                            "dns_overrides",
                            Map.of(),
                            "host name to IP address map used instead of DNS (like curl --resolve)"),
                    new Setting(
                            "download_slots",
                            Map.of(),
                            "per-slot concurrency, delay and randomize_delay, e.g."
                                    + " {a.test: {concurrency: 1, delay: 2s}}"),
                    // requests
                    new Setting("user_agent", "Arachne/0.1", "User-Agent header of every request"),
                    new Setting(
                            "default_request_headers",
                            Map.of(
                                    "Accept",
                                    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                                    "Accept-Language",
                                    "en"),
                            "headers added to requests that lack them"),
                    new Setting(
                            "cookies_enabled",
                            true,
                            "keep cookies from responses and send them back"),
                    // downloads
                    new Setting("download_timeout", "30s", "time limit for a whole download"),
                    new Setting(
                            "download_maxsize",
                            "64MiB",
                            "largest body accepted, after decompression"),
                    new Setting(
                            "download_warnsize",
                            "32MiB",
                            "log a warning for bodies larger than this (0: never)"),
                    new Setting(
                            "retry_enabled", true, "retry failed downloads and retry_http_codes"),
                    new Setting("retry_times", 2, "retries after the first attempt"),
                    new Setting(
                            "retry_http_codes",
                            List.of(500, 502, 503, 504, 522, 524, 408, 429),
                            "response codes that are retried"),
                    new Setting(
                            "retry_backoff_base",
                            "1s",
                            "first retry waits about this long, doubling each time (with jitter)"),
                    new Setting(
                            "retry_backoff_max",
                            "60s",
                            "longest wait between retries (Retry-After included)"),
                    new Setting(
                            "redirect_enabled",
                            true,
                            "follow 301, 302, 303, 307 and 308 redirects"),
                    new Setting("redirect_max_times", 20, "longest redirect chain followed"),
                    new Setting(
                            "metarefresh_enabled",
                            true,
                            "follow HTML <meta http-equiv=\"refresh\"> redirects"),
                    new Setting(
                            "metarefresh_maxdelay",
                            "100s",
                            "meta refreshes with this delay or longer are not followed"),
                    new Setting(
                            "proxy",
                            "",
                            "http proxy for every request, e.g. http://user:pass@host:port (empty: none)"),
                    new Setting(
                            "http2_enabled",
                            true,
                            "offer HTTP/2 to https servers (ALPN) and use it where they accept"),
                    new Setting(
                            "deny_private_addresses",
                            false,
                            "refuse hosts that resolve to loopback, private, link-local or multicast addresses"),
                    // scheduling
                    new Setting("depth_limit", 0, "deepest link depth crawled (0: no limit)"),
                    new Setting("crawl_order", "bfs", "bfs (breadth first) or dfs (depth first)"),
                    new Setting("dedup", true, "drop requests whose fingerprint was seen before"),
                    new Setting(
                            "dupefilter",
                            "exact",
                            "exact (64-bit fingerprints in a hash set) or bloom (a few bits per request, rare false positives)"),
                    new Setting(
                            "dupefilter_expected_count",
                            1_000_000,
                            "bloom: requests the crawl is expected to see; the filter is sized for it"),
                    new Setting(
                            "dupefilter_false_positive_rate",
                            0.001,
                            "bloom: chance that a new request is taken for a seen one, up to the expected count"),
                    new Setting(
                            "scheduler_memory_queue_limit",
                            200_000,
                            "queued requests kept in memory; the rest wait in files on disk"),
                    // ending
                    new Setting(
                            "closespider_itemcount", 0, "stop after this many items (0: no limit)"),
                    new Setting(
                            "closespider_pagecount",
                            0,
                            "stop after this many responses (0: no limit)"),
                    new Setting("closespider_timeout", "0s", "stop after this long (0: no limit)"),
                    new Setting(
                            "closespider_errorcount",
                            0,
                            "stop after this many errors (0: no limit)"),
                    // output
                    new Setting("log_level", "info", "error, warn, info, debug or trace"));

    private static Map<String, Setting> declare(Setting... settings) {
        Map<String, Setting> map = new LinkedHashMap<>();
        for (Setting s : settings) {
            map.put(s.key(), s);
        }
        return java.util.Collections.unmodifiableMap(map);
    }
}
