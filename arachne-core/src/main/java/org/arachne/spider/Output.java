package org.arachne.spider;

import java.util.Map;
import java.util.function.UnaryOperator;
import org.arachne.http.Request;
import org.arachne.item.Item;

/**
 * Where a callback sends what it found in one response: items, and requests to crawl. Not
 * thread-safe: use it only from the callback it was given to, and only until the callback returns.
 *
 * <p>Links go through {@code follow}, the one way to emit a link: it resolves the link against the
 * response URL, and a link that cannot be resolved or is not http(s) ({@code mailto:}, {@code
 * javascript:}) is skipped, counted as {@code link/skipped/invalid_url} or {@code
 * link/skipped/not_http}, and logged (at debug level) with the page URL, so one bad link never
 * fails the callback. {@link #request} is for a request built whole (a POST, a form).
 */
public interface Output {

    /** Emits an item. */
    void item(Item item);

    /**
     * Emits an item made of these fields, in the map's order.
     *
     * @throws IllegalArgumentException naming the field when a value is not JSON-like (see {@link
     *     Item})
     */
    default void item(Map<String, ?> fields) {
        item(Item.of(fields));
    }

    /**
     * Emits a Java record as an item: its components by name, in declaration order ({@link
     * Item#fromRecord}), converted here so the crawl carries a plain {@link Item}.
     *
     * @throws IllegalArgumentException naming the record class and the component when a value has
     *     no item form
     */
    default void item(Record record) {
        item(Item.fromRecord(record));
    }

    /** Emits a request; its depth is set to one more than the response's request. */
    void request(Request request);

    /**
     * Follows a link (relative or absolute) with the given callback, a method of the spider such as
     * {@code this::parseBook}.
     *
     * @throws IllegalArgumentException when the callback is not a method reference of the crawl's
     *     spider (see {@link Callback}); a bad link is skipped and counted instead
     */
    default void follow(String href, Callback callback) {
        follow(href, callback, UnaryOperator.identity());
    }

    /**
     * Follows a link as {@link #follow(String, Callback)} does, with a request that {@code adjust}
     * shapes first, for meta, priority or headers: {@code out.follow(href, this::parseBook, r ->
     * r.withMeta("category", name))}.
     *
     * @throws IllegalArgumentException when the callback is not a method reference of the crawl's
     *     spider, or from {@code adjust} (bad meta); a bad link is skipped and counted instead
     */
    void follow(String href, Callback callback, UnaryOperator<Request> adjust);

    /**
     * Follows a link as {@link #follow(String, Callback)} does, and sends the request to {@code
     * errback} (a method of the spider such as {@code this::onError}) if it fails for good.
     *
     * @throws IllegalArgumentException when the callback or errback is not a method reference of
     *     the crawl's spider; a bad link is skipped and counted instead
     */
    default void follow(String href, Callback callback, Errback errback) {
        String name = Callbacks.errbackName(errback);
        follow(href, callback, r -> r.withErrback(name));
    }

    /** Follows a link with the callback of the current response, as the other {@code follow}s. */
    void follow(String href);

    /**
     * Adds {@code amount} to a counter of the spider's own in the crawl's stats, under {@code
     * spider/} + key (for example items a spider chose to drop), so that nothing a spider skips
     * goes unseen.
     */
    void count(String key, long amount);
}
