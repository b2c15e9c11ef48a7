package org.arachne.sandbox;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A minimal robots-obeying crawler for tests: follows every {@code <a href>} from the start URLs
 * within the given hosts, skips {@code /private/}, and extracts items with regular expressions.
 */
final class SiteWalker {
    private static final Pattern HREF = Pattern.compile("<a href=\"([^\"]*)\"");
    private static final Pattern ITEM =
            Pattern.compile("<article class=\"product_pod\">(.*?)</article>", Pattern.DOTALL);
    private static final Pattern ITEM_LINK =
            Pattern.compile("<h3><a href=\"([^\"]*)\" title=\"([^\"]*)\">");
    private static final Pattern PRICE = Pattern.compile("<p class=\"price_color\">([^<]*)</p>");

    /** Fetched pages and the items on them, in crawl order. */
    record Walk(Set<String> urls, List<Map<String, String>> items) {}

    private SiteWalker() {}

    /**
     * @param fetch returns a page's HTML, or null when it does not exist (a test failure)
     */
    static Walk walk(List<String> startUrls, Function<URI, @Nullable String> fetch) {
        Set<String> authorities = new LinkedHashSet<>();
        for (String s : startUrls) {
            authorities.add(URI.create(s).getAuthority());
        }
        Set<String> seen = new LinkedHashSet<>(startUrls);
        Deque<String> queue = new ArrayDeque<>(startUrls);
        List<Map<String, String>> items = new ArrayList<>();
        while (!queue.isEmpty()) {
            URI page = URI.create(queue.poll());
            String html = fetch.apply(page);
            if (html == null) {
                throw new AssertionError("linked page missing: " + page);
            }
            Matcher item = ITEM.matcher(html);
            while (item.find()) {
                Matcher link = ITEM_LINK.matcher(item.group(1));
                Matcher price = PRICE.matcher(item.group(1));
                if (!link.find() || !price.find()) {
                    throw new AssertionError("item without link or price on " + page);
                }
                items.add(
                        Map.of(
                                "title", unescape(link.group(2)),
                                "price", price.group(1),
                                "link", page.resolve(unescape(link.group(1))).toString()));
            }
            Matcher href = HREF.matcher(html);
            while (href.find()) {
                URI to = page.resolve(unescape(href.group(1)));
                if (authorities.contains(to.getAuthority())
                        && !to.getPath().startsWith("/private/")
                        && seen.add(to.toString())) {
                    queue.add(to.toString());
                }
            }
        }
        return new Walk(seen, items);
    }

    static String unescape(String s) {
        return s.replace("&quot;", "\"")
                .replace("&#x27;", "'")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&");
    }
}
