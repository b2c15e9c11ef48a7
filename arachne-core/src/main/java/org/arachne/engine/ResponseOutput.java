package org.arachne.engine;

import java.util.ArrayList;
import java.util.List;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.arachne.item.Item;
import org.arachne.spider.Callback;
import org.arachne.spider.Callbacks;
import org.arachne.spider.Output;
import org.arachne.url.Urls;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Collects what one callback emits for one response; links resolve against the response URL. */
final class ResponseOutput implements Output {
    private static final Logger LOG = LoggerFactory.getLogger(ResponseOutput.class);

    private final Response response;
    private final Stats stats;
    private final List<Item> items = new ArrayList<>();
    private final List<Request> requests = new ArrayList<>();

    ResponseOutput(Response response, Stats stats) {
        this.response = response;
        this.stats = stats;
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
    public void follow(String href, Callback callback) {
        follow(href, Callbacks.nameOf(callback));
    }

    @Override
    public void follow(String href) {
        follow(href, response.request().callback());
    }

    private void follow(String href, @Nullable String callback) {
        String url;
        try {
            url = response.urljoin(href);
        } catch (IllegalArgumentException e) {
            stats.inc("link/skipped/invalid_url");
            LOG.debug("skipping link '{}' on {}: {}", href, response.url(), e.getMessage());
            return;
        }
        if (!Urls.isHttp(url)) {
            stats.inc("link/skipped/not_http");
            return;
        }
        try {
            request(Request.get(url, callback));
        } catch (IllegalArgumentException e) {
            stats.inc("link/skipped/invalid_url");
            LOG.debug("skipping link '{}' on {}: {}", href, response.url(), e.getMessage());
        }
    }

    @Override
    public void count(String key, long amount) {
        stats.inc("spider/" + key, amount);
    }

    List<Item> items() {
        return items;
    }

    List<Request> requests() {
        return requests;
    }
}
