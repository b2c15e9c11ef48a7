package org.arachne.spider.yaml;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.arachne.http.Request;
import org.arachne.item.Item;
import org.arachne.spider.Callback;
import org.arachne.spider.Callbacks;
import org.arachne.spider.Output;
import org.arachne.url.Urls;

/**
 * An output that keeps what a callback emitted; follows are kept as "callback url" (the link as
 * given) and, resolved against {@link #BASE}, as the requests they make; links that are no
 * request's URL are kept in {@link #skipped}.
 */
final class RecordingOutput implements Output {
    /** What relative links are resolved against. */
    static final String BASE = "http://a.test/";

    final List<Item> items = new ArrayList<>();
    final List<String> follows = new ArrayList<>();
    final List<Request> requests = new ArrayList<>();
    final List<String> skipped = new ArrayList<>();
    final Map<String, Long> counts = new HashMap<>();

    @Override
    public void item(Item item) {
        items.add(item);
    }

    @Override
    public void request(Request request) {
        follows.add(request.callbackName() + " " + request.url());
        requests.add(request);
    }

    @Override
    public void follow(String href, Callback callback, UnaryOperator<Request> adjust) {
        Request request;
        try {
            request =
                    Request.get(
                            Urls.resolve(BASE, href, StandardCharsets.UTF_8),
                            Callbacks.nameOf(callback));
        } catch (IllegalArgumentException e) {
            skipped.add(href); // as the engine's output, which counts and skips a bad link
            return;
        }
        request = adjust.apply(request);
        follows.add(request.callbackName() + " " + href);
        requests.add(request);
    }

    @Override
    public void follow(String href) {
        follows.add("parse " + href);
    }

    @Override
    public void count(String key, long amount) {
        counts.merge(key, amount, Long::sum);
    }
}
