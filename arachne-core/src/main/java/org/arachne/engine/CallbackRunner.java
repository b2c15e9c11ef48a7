package org.arachne.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.arachne.frontier.Fingerprint;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.arachne.item.Item;
import org.arachne.item.ItemContext;
import org.arachne.item.ItemPipeline;
import org.arachne.item.TransactionalPipeline;
import org.arachne.middleware.Outcome;
import org.arachne.middleware.RobotsStage;
import org.arachne.spider.Callback;
import org.arachne.spider.Errback;
import org.arachne.spider.Failure;
import org.arachne.spider.Output;
import org.arachne.spider.Spider;
import org.jspecify.annotations.Nullable;

/**
 * Gives a response to its callback (a spider method found by name, or a reserved one such as the
 * sitemap reader), then the callback's items to the pipelines in order, and filters the requests it
 * produced. A callback or pipeline that throws is counted and logged with the URL; what was
 * produced before still counts. {@link TransactionalPipeline}s get each item's {@link ItemContext}
 * and are told of the response's commit ({@link #beforeCommit}, {@link #committed}); a crawl
 * without one makes no context (#10: nothing per item on the hot path). A request whose callback
 * the spider does not have is failed before it is fetched ({@link #missingCallback}). A request
 * that failed for good goes to its errback ({@link #errback}), whose output takes the same path.
 */
final class CallbackRunner {
    private final Spider spider;
    private final boolean sendReferer;
    private final Map<String, Callback> callbacks = new ConcurrentHashMap<>();
    private final Set<String> missing = ConcurrentHashMap.newKeySet();
    private final Map<String, Errback> errbacks = new ConcurrentHashMap<>();
    private final boolean ownDefaultErrback;
    private final List<ItemPipeline> pipelines;
    private final boolean anyTransactional;
    private final RequestFilter requestFilter;
    private final Stats stats;
    private final CrawlEvents events;

    /**
     * What one response produced: items past the pipelines, requests past the filters, and what
     * each transactional pipeline processed (none without such pipelines or items).
     */
    record Produced(List<Item> items, List<Request> requests, List<Processed> processed) {}

    /** The items one transactional pipeline processed for one response, in their order. */
    record Processed(TransactionalPipeline pipeline, List<ItemContext> items) {}

    /**
     * @param reserved callbacks of the engine's own, by their reserved names
     */
    CallbackRunner(
            Spider spider,
            Map<String, Callback> reserved,
            List<ItemPipeline> pipelines,
            RequestFilter requestFilter,
            boolean sendReferer,
            Stats stats,
            CrawlEvents events) {
        this.spider = spider;
        this.sendReferer = sendReferer;
        this.ownDefaultErrback = overridesDefaultErrback(spider);
        this.callbacks.putAll(reserved);
        this.pipelines = List.copyOf(pipelines);
        this.anyTransactional =
                pipelines.stream().anyMatch(p -> p instanceof TransactionalPipeline);
        this.requestFilter = requestFilter;
        this.stats = stats;
        this.events = events;
    }

    /**
     * The failure for good of a request whose callback the spider does not have, null when it has
     * it. Requests keep their callback's name, so a job dir resumed with a changed spider (#10), or
     * a request built with a name no method has, can ask for one that is not there: such a request
     * is not fetched (its page could go nowhere), and it is a dead letter with the reason {@code
     * callback_missing/<name>}, which {@code retry_failed} queues again once the callback is back.
     * The first of each name is also said in a warning.
     */
    Outcome.@Nullable Fail missingCallback(Request request) {
        String name = request.callbackName();
        if (RobotsStage.isRobotsRequest(request) || callback(name) != null) {
            return null; // the robots.txt stage answers robots.txt requests, never a callback
        }
        if (missing.add(name)) {
            events.callbackMissingFirst(spider.name(), name);
        }
        return new Outcome.Fail(
                StatKeys.CALLBACK_MISSING
                        + name
                        + ": the spider '"
                        + spider.name()
                        + "' has no callback '"
                        + name
                        + "'",
                "callback/missing",
                List.of(StatKeys.CALLBACK_MISSING + name));
    }

    /**
     * @param leased the request as the frontier leased it (before the request stages changed it),
     *     whose fingerprint makes the items' ids
     */
    Produced run(Response response, Request leased) {
        Request request = response.request();
        String name = request.callbackName();
        ResponseOutput out = new ResponseOutput(response, stats, spider, sendReferer);
        Callback callback = callback(name);
        if (callback == null) {
            events.callbackMissing(spider.name(), name, request);
        } else {
            try {
                callback.parse(response, out);
            } catch (Exception | StackOverflowError e) {
                events.callbackFailed(name, response, e);
            }
        }
        return produced(out, response.url(), leased);
    }

    /**
     * Gives a request that failed for good to its errback (the one it names, else the spider's
     * default), then what the errback emitted to the pipelines and request filters as {@link #run}
     * does. An errback that throws is counted and logged with the URL; what it emitted before still
     * counts. Nothing is produced for a robots.txt request (the engine's own).
     */
    Produced errback(Failure failure, Request leased) {
        Request request = failure.request();
        if (RobotsStage.isRobotsRequest(request)) {
            return new Produced(List.of(), List.of(), List.of());
        }
        String name = request.errbackName();
        if (request.errback() == null && !ownDefaultErrback) {
            return new Produced(List.of(), List.of(), List.of()); // Spider's no-op: nothing to call
        }
        ResponseOutput out =
                new ResponseOutput(failure.response(), request, stats, spider, sendReferer);
        Errback errback = errbacks.computeIfAbsent(name, key -> spider.errback(key));
        if (errback == null) {
            events.errbackMissing(spider.name(), name, request);
        } else {
            events.errbackCalled(name, failure);
            try {
                errback.failed(failure, out);
            } catch (Exception | StackOverflowError e) {
                events.errbackFailed(name, request, e);
            }
        }
        return produced(out, request.url(), leased);
    }

    /** Whether the spider's class overrides {@link Spider#errback(Failure, Output)}. */
    private static boolean overridesDefaultErrback(Spider spider) {
        try {
            return spider.getClass()
                            .getMethod("errback", Failure.class, Output.class)
                            .getDeclaringClass()
                    != Spider.class;
        } catch (NoSuchMethodException e) {
            throw new AssertionError("Spider declares errback(Failure, Output)", e);
        }
    }

    private Produced produced(ResponseOutput out, String url, Request leased) {
        List<Item> items = out.items();
        if (!anyTransactional || items.isEmpty()) {
            List<Item> kept = runPipelines(items, url, leased, null);
            events.itemsScraped(url, kept);
            return new Produced(kept, requestFilter.apply(out.requests()), List.of());
        }
        // what each pipeline processed, at its place in the list; empty for the plain ones
        List<List<ItemContext>> processed = new ArrayList<>(pipelines.size());
        for (ItemPipeline p : pipelines) {
            processed.add(p instanceof TransactionalPipeline ? new ArrayList<>() : List.of());
        }
        List<Item> kept = runPipelines(items, url, leased, processed);
        events.itemsScraped(url, kept);
        List<Processed> byPipeline = new ArrayList<>();
        for (int i = 0; i < pipelines.size(); i++) {
            if (pipelines.get(i) instanceof TransactionalPipeline t
                    && !processed.get(i).isEmpty()) {
                byPipeline.add(new Processed(t, List.copyOf(processed.get(i))));
            }
        }
        return new Produced(kept, requestFilter.apply(out.requests()), List.copyOf(byPipeline));
    }

    private @Nullable Callback callback(String name) {
        Callback known = callbacks.get(name);
        if (known != null) {
            return known;
        }
        Callback found = spider.callback(name);
        if (found != null) {
            callbacks.putIfAbsent(name, found);
        }
        return found;
    }

    /**
     * Each item through the pipelines in order, until one drops it. A transactional pipeline gets
     * the item's context (made only then), and adds it to its list in {@code processed}, which is
     * null when no pipeline is transactional.
     */
    private List<Item> runPipelines(
            List<Item> items,
            String url,
            Request leased,
            @Nullable List<List<ItemContext>> processed) {
        if (pipelines.isEmpty()) {
            return items;
        }
        String fingerprint = processed == null ? "" : Fingerprint.of(leased).hex();
        List<Item> kept = new ArrayList<>(items.size());
        for (int index = 0; index < items.size(); index++) {
            Item current = items.get(index);
            ItemContext context = null;
            for (int i = 0; i < pipelines.size(); i++) {
                ItemPipeline p = pipelines.get(i);
                Item given = current;
                Exception failure = null;
                try {
                    if (processed != null && p instanceof TransactionalPipeline t) {
                        if (context == null) {
                            context = new ItemContext(fingerprint, index, leased.url());
                        }
                        current = t.process(current, context);
                        processed.get(i).add(context);
                    } else {
                        current = p.process(current);
                    }
                } catch (Exception e) {
                    events.pipelineFailed(p, url, e);
                    failure = e;
                    current = null;
                }
                if (current == null) {
                    events.itemDropped(p, url, given, failure);
                    break;
                }
            }
            if (current != null) {
                kept.add(current);
            }
        }
        return kept;
    }

    /**
     * Tells each transactional pipeline that the response's items are about to be committed.
     *
     * @return those told without an exception: the ones to tell of the commit
     */
    List<Processed> beforeCommit(List<Processed> processed, String url) {
        if (processed.isEmpty()) {
            return processed;
        }
        List<Processed> ready = new ArrayList<>(processed.size());
        for (Processed p : processed) {
            try {
                p.pipeline().beforeCommit(p.items());
                ready.add(p);
            } catch (Exception e) {
                events.pipelineHookFailed(p.pipeline(), "beforeCommit", url, e);
            }
        }
        return ready;
    }

    /** Tells each transactional pipeline that the frontier accepted the response's commit. */
    void committed(List<Processed> processed, String url) {
        for (Processed p : processed) {
            try {
                p.pipeline().committed(p.items());
            } catch (Exception e) {
                events.pipelineHookFailed(p.pipeline(), "committed", url, e);
            }
        }
    }
}
