package org.arachne.cli;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.arachne.engine.CrawlResult;
import org.arachne.engine.Crawler;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.arachne.spider.Output;
import org.arachne.spider.Spider;
import org.jspecify.annotations.Nullable;

/**
 * Downloads one URL the way a crawl would (a one-request crawl: the default downloader, settings,
 * robots.txt, retries and redirects), for {@code fetch} and {@code parse}. Responses of any status
 * are returned.
 */
final class Fetcher {
    private Fetcher() {}

    /**
     * Fetches {@code url}.
     *
     * @throws CliException config (exit 3) for a bad URL or setting; aborted (exit 4) when no
     *     response came, saying why (robots.txt, download errors)
     */
    static Response fetch(String url, Map<String, String> settings) {
        Request request;
        try {
            request = Request.get(url).withDontFilter(true).withMeta("handle_httpstatus_all", true);
        } catch (IllegalArgumentException e) {
            throw CliException.config("bad URL '" + url + "': " + e.getMessage());
        }
        AtomicReference<@Nullable Response> response = new AtomicReference<>();
        Spider spider =
                new Spider() {
                    @Override
                    public String name() {
                        return "fetch";
                    }

                    @Override
                    public List<Request> startRequests() {
                        return List.of(request);
                    }

                    @Override
                    public void parse(Response r, Output out) {
                        response.set(r);
                    }
                };
        Crawler crawler = CrawlSession.build(spider, settings, List.of());
        CrawlResult result = crawler.run();
        Response r = response.get();
        if (r != null) {
            return r;
        }
        if (result.stats().getOrDefault("robotstxt/forbidden", 0L) > 0) {
            throw new CliException(
                    ExitCodes.ABORTED,
                    "no response: "
                            + url
                            + " is forbidden by robots.txt"
                            + " (-s robotstxt_obey=false to fetch it anyway)");
        }
        throw new CliException(
                ExitCodes.ABORTED,
                "no response from "
                        + url
                        + (result.errors() > 0 ? ": errors " + result.errorsByKind() : "")
                        + " ("
                        + result.reason()
                        + ")");
    }
}
