package org.arachne.spider.yaml;

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

/** An output that keeps what a callback emitted; follows are kept as "callback url". */
final class RecordingOutput implements Output {
    final List<Item> items = new ArrayList<>();
    final List<String> follows = new ArrayList<>();
    final Map<String, Long> counts = new HashMap<>();

    @Override
    public void item(Item item) {
        items.add(item);
    }

    @Override
    public void request(Request request) {
        follows.add(request.callbackName() + " " + request.url());
    }

    @Override
    public void follow(String href, Callback callback, UnaryOperator<Request> adjust) {
        follows.add(Callbacks.nameOf(callback) + " " + href);
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
