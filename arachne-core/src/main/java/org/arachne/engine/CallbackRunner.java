package org.arachne.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.arachne.item.Item;
import org.arachne.item.ItemPipeline;
import org.arachne.middleware.Outcome;
import org.arachne.middleware.RobotsStage;
import org.arachne.spider.Callback;
import org.arachne.spider.Spider;
import org.jspecify.annotations.Nullable;

/**
 * Gives a response to its callback (a spider method found by name, or a reserved one such as the
 * sitemap reader), then the callback's items to the pipelines in order, and filters the requests it
 * produced. A callback or pipeline that throws is counted and logged with the URL; what was
 * produced before still counts. A request whose callback the spider does not have is failed before
 * it is fetched ({@link #missingCallback}).
 */
final class CallbackRunner {
    private final Spider spider;
    private final Map<String, Callback> callbacks = new ConcurrentHashMap<>();
    private final Set<String> missing = ConcurrentHashMap.newKeySet();
    private final List<ItemPipeline> pipelines;
    private final RequestFilter requestFilter;
    private final Stats stats;
    private final CrawlEvents events;

    /** What one response produced: items past the pipelines, requests past the filters. */
    record Produced(List<Item> items, List<Request> requests) {}

    /**
     * @param reserved callbacks of the engine's own, by their reserved names
     */
    CallbackRunner(
            Spider spider,
            Map<String, Callback> reserved,
            List<ItemPipeline> pipelines,
            RequestFilter requestFilter,
            Stats stats,
            CrawlEvents events) {
        this.spider = spider;
        this.callbacks.putAll(reserved);
        this.pipelines = List.copyOf(pipelines);
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

    Produced run(Response response) {
        Request request = response.request();
        String name = request.callbackName();
        ResponseOutput out = new ResponseOutput(response, stats, spider);
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
        return new Produced(
                runPipelines(out.items(), response), requestFilter.apply(out.requests()));
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

    private List<Item> runPipelines(List<Item> items, Response response) {
        if (pipelines.isEmpty()) {
            return items;
        }
        List<Item> kept = new ArrayList<>(items.size());
        for (Item item : items) {
            Item current = item;
            for (ItemPipeline p : pipelines) {
                try {
                    current = p.process(current);
                } catch (Exception e) {
                    events.pipelineFailed(p, response, e);
                    current = null;
                }
                if (current == null) {
                    events.itemDropped();
                    break;
                }
            }
            if (current != null) {
                kept.add(current);
            }
        }
        return kept;
    }
}
