package org.arachne.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.arachne.engine.CallbackTrial;
import org.arachne.engine.CrawlResult;
import org.arachne.engine.Crawler;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.arachne.spider.Callback;
import org.arachne.spider.Login;
import org.arachne.spider.Output;
import org.arachne.spider.Spider;
import org.jspecify.annotations.Nullable;

/**
 * The crawl behind {@code arachne parse --spider}: one start request to a callback of a spider, the
 * requests each response's callback produces followed to their own callbacks down to a number of
 * levels, each response run through {@link CallbackTrial} so that what every callback produced is
 * kept. It is one crawl with the spider's settings and allowed domains, so cookies, headers,
 * robots.txt, deduplication and offsite filtering apply as in a crawl of the spider (the start
 * request is never filtered), as Scrapy's {@code parse} does.
 *
 * <p>Thread-safety: responses are parsed on the crawl's threads; the steps are collected in a
 * concurrent queue and read once the crawl has ended.
 */
final class ParseCrawl implements Spider {
    /** What one response's callback produced, at its level (1 = the start request). */
    record Step(int level, Response response, CallbackTrial.Result result) {}

    /** The steps of the crawl by level, each level in the order its requests were produced. */
    record Outcome(CrawlResult crawl, List<List<Step>> levels) {
        Outcome {
            levels = levels.stream().map(List::copyOf).toList();
        }

        List<Step> steps() {
            return levels.stream().flatMap(List::stream).toList();
        }
    }

    private final Spider spider;
    private final Request start;
    private final int depth;
    private final Queue<Step> steps = new ConcurrentLinkedQueue<>();

    /** A crawl from {@code start} down to {@code depth} levels (at least 1). */
    ParseCrawl(Spider spider, Request start, int depth) {
        this.spider = spider;
        this.start = start;
        this.depth = depth;
    }

    /** Runs the crawl, built of this spider ({@link CrawlSession#build}), to its end. */
    Outcome run(Crawler crawler) {
        CrawlResult result = crawler.run();
        return new Outcome(result, byLevel());
    }

    /**
     * The steps grouped by level; within a level, in the order the previous level produced their
     * requests (a crawl answers them in any order), then by URL for those not found there (a
     * redirect's target).
     */
    private List<List<Step>> byLevel() {
        List<List<Step>> levels = new ArrayList<>();
        List<Step> all = new ArrayList<>(steps);
        for (int level = 1; ; level++) {
            int current = level;
            List<Step> here = all.stream().filter(s -> s.level() == current).toList();
            if (here.isEmpty()) {
                return levels;
            }
            Map<String, Integer> order = new HashMap<>();
            if (level > 1) {
                for (Step parent : levels.get(level - 2)) {
                    for (Request r : parent.result().requests()) {
                        order.putIfAbsent(r.url(), order.size());
                    }
                }
            }
            List<Step> sorted = new ArrayList<>(here);
            sorted.sort(
                    Comparator.<Step>comparingInt(
                                    s ->
                                            order.getOrDefault(
                                                    s.response().request().url(),
                                                    Integer.MAX_VALUE))
                            .thenComparing(s -> s.response().url()));
            levels.add(sorted);
        }
    }

    private void parse(Response response, Output out, String callbackName) {
        int level = response.request().depth() + 1;
        CallbackTrial.Result result = CallbackTrial.run(spider, response, callbackName);
        steps.add(new Step(level, response, result));
        if (level < depth) {
            result.requests().forEach(out::request);
        }
    }

    @Override
    public String name() {
        return spider.name();
    }

    @Override
    public List<Request> startRequests() {
        return List.of(start);
    }

    @Override
    public Set<String> allowedDomains() {
        return spider.allowedDomains();
    }

    @Override
    public Map<String, ?> settings() {
        return spider.settings();
    }

    @Override
    public void parse(Response response, Output out) {
        parse(response, out, "parse");
    }

    /** Every name: the spider's callback of that name runs (or is reported missing) in a trial. */
    @Override
    public Callback callback(String name) {
        return (response, out) -> parse(response, out, name);
    }

    @Override
    public @Nullable Login login() {
        return spider.login();
    }

    @Override
    public void open() throws Exception {
        spider.open();
    }

    @Override
    public void close() throws Exception {
        spider.close();
    }
}
