package org.arachne.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.arachne.engine.CrawlResult;
import org.arachne.engine.Crawler;
import org.arachne.engine.StatKeys;
import org.arachne.http.DownloadException;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.arachne.spider.Callback;
import org.arachne.spider.Login;
import org.arachne.spider.Output;
import org.arachne.spider.Spider;
import org.jspecify.annotations.Nullable;

/**
 * Downloads one URL the way a crawl would (a one-request crawl: the default downloader, settings,
 * robots.txt, retries of download errors and redirects), for {@code fetch} and {@code parse}.
 * Responses of any status are returned, and no status is retried unless {@code -s
 * retry_http_codes=...} says so: the command shows what the server answered (#9: a 500 was retried,
 * then given up, and nothing was shown).
 */
final class Fetcher {
    private Fetcher() {}

    /**
     * Fetches {@code url}.
     *
     * @throws CliException config (exit 3) for a bad URL or setting; aborted (exit 4) when no
     *     response came, saying why (robots.txt forbids it, the server cannot be reached)
     */
    static Response fetch(String url, Map<String, String> settings) {
        return fetch(url, settings, (Spider) null);
    }

    /**
     * Fetches {@code url} as a crawl of {@code spider} would (its settings, user agent, headers,
     * cookies, robots.txt, and its login first), under the {@code -s} ones; as {@link
     * #fetch(String, Map)} when {@code spider} is null.
     *
     * @throws CliException as {@link #fetch(String, Map)}
     */
    static Response fetch(String url, Map<String, String> settings, @Nullable Spider spider) {
        Request request;
        try {
            request = Request.get(url);
        } catch (IllegalArgumentException e) {
            throw CliException.config("bad URL '" + url + "': " + e.getMessage());
        }
        return spider == null
                ? fetch(request, Map.of(), null, settings)
                : fetch(request, spider, settings);
    }

    /**
     * Fetches {@code request} (its meta and callback kept, for the response's {@code request()})
     * with a spider's settings under those of the command line, as a crawl of that spider would.
     *
     * @throws CliException config (exit 3) for a bad setting; aborted (exit 4) when no response
     *     came, saying why
     */
    static Response fetch(
            Request request, Map<String, ?> spiderSettings, Map<String, String> settings) {
        return fetch(request, spiderSettings, null, settings);
    }

    /**
     * Fetches {@code request} as a crawl of {@code spider} would: with its settings under those of
     * the command line, after its {@link Spider#login() login} when it has one.
     *
     * @throws CliException as {@link #fetch(Request, Map, Map)}; aborted (exit 4) when the login
     *     failed, saying why
     */
    static Response fetch(Request request, Spider spider, Map<String, String> settings) {
        return fetch(request, spider.settings(), spider.login(), settings);
    }

    private static Response fetch(
            Request request,
            Map<String, ?> spiderSettings,
            @Nullable Login login,
            Map<String, String> settings) {
        Request fetched = request.withDontFilter(true).withMeta("handle_httpstatus_all", true);
        AtomicReference<@Nullable Response> response = new AtomicReference<>();
        Spider spider =
                new Spider() {
                    @Override
                    public String name() {
                        return "fetch";
                    }

                    @Override
                    public List<Request> startRequests() {
                        return List.of(fetched);
                    }

                    @Override
                    public Map<String, ?> settings() {
                        return spiderSettings;
                    }

                    @Override
                    public @Nullable Login login() {
                        return login;
                    }

                    @Override
                    public @Nullable Callback callback(String name) {
                        return this::parse; // whichever callback the request names
                    }

                    @Override
                    public void parse(Response r, Output out) {
                        response.set(r);
                    }
                };
        Map<String, String> fetchSettings = new LinkedHashMap<>();
        fetchSettings.put("retry_http_codes", "");
        fetchSettings.putAll(settings);
        Crawler crawler = CrawlSession.build(spider, fetchSettings, List.of());
        CrawlResult result = crawler.run();
        Response r = response.get();
        if (r != null) {
            return r;
        }
        throw new CliException(
                ExitCodes.ABORTED,
                "no response from " + request.url() + ": " + why(request.url(), result));
    }

    /**
     * Why a one-request crawl of {@code url} got no response, from its stats: robots.txt forbids
     * it, or the downloads failed (of the page or of its robots.txt, which is fetched first: either
     * way the server is what cannot be reached), else the errors by kind.
     */
    static String why(String url, CrawlResult result) {
        Map<String, Long> stats = result.stats();
        if (stats.getOrDefault("robotstxt/forbidden", 0L) > 0) {
            return "forbidden by robots.txt (-s robotstxt_obey=false to fetch it anyway)";
        }
        DownloadException.Kind worst = null;
        long failed = 0;
        for (DownloadException.Kind kind : DownloadException.Kind.values()) {
            long n = stats.getOrDefault(StatKeys.exceptionType(kind.statName()), 0L);
            failed += n;
            if (n > 0
                    && (worst == null || n > stats.get(StatKeys.exceptionType(worst.statName())))) {
                worst = kind;
            }
        }
        if (worst != null) {
            return String.format(
                    Locale.ROOT,
                    "%s (%d %s failed)",
                    downloadFailure(worst, url),
                    failed,
                    failed == 1 ? "attempt" : "attempts");
        }
        if (stats.getOrDefault(StatKeys.error("robotstxt/unavailable"), 0L) > 0) {
            return "its robots.txt could not be fetched, so nothing of its site is (-s"
                    + " robotstxt_obey=false skips robots.txt)";
        }
        return "errors " + Summary.errorsByKind(result) + " (" + result.reason() + ")";
    }

    /** What a download failure of this kind says about the server of {@code url}. */
    private static String downloadFailure(DownloadException.Kind kind, String url) {
        String host = url;
        String server = url;
        try {
            URI uri = new URI(url);
            if (uri.getHost() != null) {
                host = uri.getHost();
                int port = uri.getPort();
                if (port < 0) {
                    port = "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
                }
                server = host + ":" + port;
            }
        } catch (URISyntaxException e) {
            // a URL the downloader took but java.net.URI does not: name it whole
        }
        return switch (kind) {
            case CONNECT -> "cannot connect to " + server;
            case TIMEOUT -> server + " did not answer within download_timeout";
            case CONNECTION_RESET -> "the connection to " + server + " broke";
            case DNS -> "the host name " + host + " does not resolve";
            case PROTOCOL -> server + " did not answer in HTTP";
            case TOO_LARGE -> "the response is larger than download_maxsize";
            case BAD_ENCODING -> "the response body cannot be decompressed";
            case REFUSED -> "refused before sending (deny_private_addresses)";
            case OTHER -> "the download failed";
        };
    }
}
