package org.arachne.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.arachne.item.Item;
import org.arachne.spider.Callback;
import org.arachne.spider.Callbacks;
import org.arachne.spider.Output;
import org.arachne.spider.Spider;
import org.arachne.url.Urls;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects what one callback emits for one response. Every {@code follow} goes through {@link
 * #link}: resolved against the response URL, skipped and counted when it is not a crawlable URL.
 */
final class ResponseOutput implements Output {
    private static final Logger LOG = LoggerFactory.getLogger(ResponseOutput.class);

    private final Response response;
    private final Stats stats;
    private final Spider spider;
    private final List<Item> items = new ArrayList<>();
    private final List<Request> requests = new ArrayList<>();

    /** Callbacks given to {@code follow} must be methods of {@code spider} itself. */
    ResponseOutput(Response response, Stats stats, Spider spider) {
        this.response = response;
        this.stats = stats;
        this.spider = spider;
    }

    @Override
    public void item(Item item) {
        items.add(item);
    }

    @Override
    public void request(Request request) {
        requests.add(request.withDepth(response.request().depth() + 1));
    }

    @Override
    public void follow(String href, Callback callback, UnaryOperator<Request> adjust) {
        String name = Callbacks.nameOf(callback, spider);
        Request request = link(href, name);
        if (request != null) {
            request(adjust.apply(request));
        }
    }

    @Override
    public void follow(String href) {
        Request request = link(href, response.request().callback());
        if (request != null) {
            request(request);
        }
    }

    /** A GET of the resolved link to {@code callback}, or null (counted) when it is not one. */
    private @Nullable Request link(String href, @Nullable String callback) {
        String url;
        try {
            url = response.urljoin(href);
        } catch (IllegalArgumentException e) {
            return skip(href, "invalid_url", e.getMessage());
        }
        if (!Urls.isHttp(url)) {
            return skip(href, "not_http", "not an http(s) URL");
        }
        try {
            return Request.get(url, callback);
        } catch (IllegalArgumentException e) {
            return skip(href, "invalid_url", e.getMessage());
        }
    }

    private @Nullable Request skip(String href, String reason, @Nullable String why) {
        stats.inc(StatKeys.linkSkipped(reason));
        LOG.debug(
                "skipping link '{}' on {}: {}",
                Urls.redacted(href),
                Urls.redacted(response.url()),
                why == null ? null : Urls.redacted(why));
        return null;
    }

    @Override
    public void count(String key, long amount) {
        stats.inc(StatKeys.spider(key), amount);
    }

    List<Item> items() {
        return items;
    }

    List<Request> requests() {
        return requests;
    }
}
