package org.arachne.engine;

import java.util.List;
import java.util.Map;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.arachne.item.Item;
import org.arachne.spider.Callback;
import org.arachne.spider.Spider;
import org.jspecify.annotations.Nullable;

/**
 * Runs one response through one callback of a spider, outside a crawl, and keeps what it produced:
 * the items and requests exactly as a crawl's callback would emit them (links resolved, bad ones
 * skipped and counted, depths one more than the response's request), before any pipeline or request
 * filter, and without the {@code Referer} a crawl adds. It is what {@code arachne parse}, spider
 * contracts and the shell stand on, and what a spider's unit test can call on a saved page: {@code
 * CallbackTrial.run(spider, response)}.
 */
public final class CallbackTrial {
    private CallbackTrial() {}

    /**
     * What one callback produced for one response.
     *
     * @param callback the name of the callback that ran (or was looked for)
     * @param items the items, in the order emitted
     * @param requests the requests, in the order emitted
     * @param counts the counters the callback moved ({@code link/skipped/...}, {@code spider/...})
     * @param failure what the callback threw, or null when it returned (what it emitted before
     *     throwing is kept, as in a crawl); a missing callback is an {@link
     *     IllegalArgumentException} naming it
     */
    public record Result(
            String callback,
            List<Item> items,
            List<Request> requests,
            Map<String, Long> counts,
            @Nullable Throwable failure) {
        public Result {
            items = List.copyOf(items);
            requests = List.copyOf(requests);
            counts = Map.copyOf(counts);
        }

        /** Whether the callback ran and returned. */
        public boolean succeeded() {
            return failure == null;
        }
    }

    /** Runs the callback named by the response's request ({@code parse} when it names none). */
    public static Result run(Spider spider, Response response) {
        return run(spider, response, response.request().callbackName());
    }

    /** Runs the named callback of {@code spider} on {@code response}. */
    public static Result run(Spider spider, Response response, String callbackName) {
        Stats stats = new Stats();
        ResponseOutput out = new ResponseOutput(response, stats, spider, false);
        Callback callback = spider.callback(callbackName);
        Throwable failure = null;
        if (callback == null) {
            failure =
                    new IllegalArgumentException(
                            "the spider '"
                                    + spider.name()
                                    + "' has no callback '"
                                    + callbackName
                                    + "'");
        } else {
            try {
                callback.parse(response, out);
            } catch (Exception | StackOverflowError e) {
                failure = e;
            }
        }
        return new Result(callbackName, out.items(), out.requests(), stats.snapshot(), failure);
    }
}
