package org.arachne.spider.contract;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.arachne.engine.CallbackTrial;
import org.arachne.http.Request;
import org.arachne.item.Item;
import org.arachne.select.PythonRegex;
import org.jspecify.annotations.Nullable;

/**
 * What one callback of a spider must produce for one URL (Scrapy's spider contracts): how many
 * items, which fields every item fills, how many requests (optionally only those whose URL matches
 * a regex). Written as a {@code contracts:} block in a YAML spider or as {@link Contract}
 * annotations on a Java spider's callbacks, and checked by {@code arachne check --contracts}, which
 * fetches {@link #request()} and runs the callback through {@link CallbackTrial}. Immutable.
 *
 * @param name how reports name the contract: the item block or callback it checks
 * @param url the absolute http(s) URL to fetch
 * @param callback the spider's callback to run on the response ({@code parse}, an item block's
 *     name, a Java spider's method)
 * @param items the expected number of items, or null for any
 * @param scrapes fields that must be present and not empty in every item
 * @param requests the expected number of requests (of those matching {@code requestPattern} when it
 *     is given), or null for any
 * @param requestPattern a regex (Python's syntax) searched in each request's URL: only requests it
 *     is found in are counted; null counts every request
 * @param meta values put in the request's meta, as a rule would carry them to the page
 */
public record SpiderContract(
        String name,
        String url,
        String callback,
        @Nullable Bounds items,
        List<String> scrapes,
        @Nullable Bounds requests,
        @Nullable String requestPattern,
        Map<String, Object> meta) {

    public SpiderContract {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(callback, "callback");
        Request.get(url); // throws for a URL no request can have
        scrapes = List.copyOf(scrapes);
        if (requestPattern != null) {
            PythonRegex.compile(requestPattern); // throws for one that does not compile
        }
        meta = Collections.unmodifiableMap(new LinkedHashMap<>(meta));
    }

    /** The request the contract fetches: its URL to its callback, with its meta. */
    public Request request() {
        Request request = Request.get(url, callback);
        return meta.isEmpty() ? request : request.withMeta(meta);
    }

    /**
     * What differs between this contract and what its callback produced, one sentence each ({@code
     * expected at least 1 item, got 0}, {@code field price empty in 3 of 20 items}, {@code callback
     * failed: ...}); empty when the contract holds.
     */
    public List<String> differences(CallbackTrial.Result result) {
        List<String> differences = new ArrayList<>();
        Throwable failure = result.failure();
        if (failure != null) {
            differences.add("callback failed: " + failure);
        }
        List<Item> produced = result.items();
        if (items != null) {
            addIfPresent(differences, items.difference("item", "", produced.size()));
        }
        if (!scrapes.isEmpty()) {
            if (produced.isEmpty() && items == null) {
                differences.add(
                        "expected items with " + String.join(", ", scrapes) + ", got no item");
            }
            for (String field : scrapes) {
                long empty = produced.stream().filter(item -> isEmpty(item, field)).count();
                if (empty > 0) {
                    differences.add(
                            "field "
                                    + field
                                    + " empty in "
                                    + empty
                                    + " of "
                                    + produced.size()
                                    + (produced.size() == 1 ? " item" : " items"));
                }
            }
        }
        if (requests != null) {
            long counted = result.requests().size();
            String qualifier = "";
            if (requestPattern != null) {
                Pattern pattern = PythonRegex.compile(requestPattern);
                counted =
                        result.requests().stream()
                                .filter(r -> pattern.matcher(r.url()).find())
                                .count();
                qualifier =
                        "matching '"
                                + requestPattern
                                + "' (of "
                                + result.requests().size()
                                + " in all)";
            }
            addIfPresent(differences, requests.difference("request", qualifier, counted));
        }
        return List.copyOf(differences);
    }

    private static void addIfPresent(List<String> differences, @Nullable String difference) {
        if (difference != null) {
            differences.add(difference);
        }
    }

    /** Whether an item lacks the field or has it null, blank, or an empty list or map. */
    private static boolean isEmpty(Item item, String field) {
        Object value = item.fields().get(field);
        return value == null
                || (value instanceof CharSequence s && s.toString().isBlank())
                || (value instanceof Collection<?> c && c.isEmpty())
                || (value instanceof Map<?, ?> m && m.isEmpty());
    }
}
