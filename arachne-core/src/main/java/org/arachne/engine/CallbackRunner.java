package org.arachne.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.arachne.item.Item;
import org.arachne.item.ItemPipeline;
import org.arachne.spider.Callback;
import org.arachne.spider.Spider;
import org.jspecify.annotations.Nullable;

/**
 * Gives a response to its callback (a spider method found by name, or a reserved one such as the
 * sitemap reader), then the callback's items to the pipelines in order, and filters the requests it
 * produced. A callback or pipeline that throws is counted and logged with the URL; what was
 * produced before still counts.
 */
final class CallbackRunner {
    private final Spider spider;
    private final Map<String, Callback> callbacks = new ConcurrentHashMap<>();
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
