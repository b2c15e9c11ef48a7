package org.arachne.sandbox.route;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * {@code /recrawl/}: a small site whose pages change when a test says so ({@link #change}), with an
 * {@code ETag} and a {@code Last-Modified} for each version, honouring conditional requests as RFC
 * 9110 13.2.2 orders them: {@code If-None-Match} (weak comparison, {@code *}) first, else {@code
 * If-Modified-Since}; a match is a {@code 304 Not Modified} with the validators and no body.
 *
 * <ul>
 *   <li>{@code /recrawl/}: the index, page 0, linking to {@code /recrawl/1} .. {@code
 *       /recrawl/}{@link #PAGES}.
 *   <li>{@code /recrawl/N}: page N, whose {@code <p class="version">} says its version (1 at
 *       first); from version 2 on it also links to {@code /recrawl/N/vV}, a page new in version V.
 *   <li>{@code /recrawl/N/vV}: that new page, which never changes.
 * </ul>
 *
 * <p>{@link #ignoreConditions} makes it answer every request whole, as servers that send validators
 * but ignore conditions do. Versions, counters and that switch last until the sandbox resets.
 */
public final class RecrawlRoute implements Route {
    /** Pages besides the index. */
    public static final int PAGES = 10;

    /** The {@code Last-Modified} of version V is this day plus V days, at noon UTC. */
    private static final ZonedDateTime FIRST_DAY =
            ZonedDateTime.of(2025, 1, 1, 12, 0, 0, 0, ZoneOffset.UTC);

    private final Map<Integer, AtomicInteger> versions = new ConcurrentHashMap<>();
    private final AtomicInteger conditional = new AtomicInteger();
    private final AtomicInteger notModified = new AtomicInteger();
    private volatile boolean ignoreConditions;

    @Override
    public String path() {
        return "/recrawl/";
    }

    /** Makes a new version of page N (0: the index): new content, new validators. */
    public void change(int page) {
        if (page < 0 || page > PAGES) {
            throw new IllegalArgumentException("no page " + page + " (0.." + PAGES + ")");
        }
        versions.computeIfAbsent(page, p -> new AtomicInteger(1)).incrementAndGet();
    }

    /** Whether to answer every request whole, whatever conditions it sends. */
    public void ignoreConditions(boolean ignore) {
        ignoreConditions = ignore;
    }

    /** Requests that carried {@code If-None-Match} or {@code If-Modified-Since}. */
    public int conditionalRequests() {
        return conditional.get();
    }

    /** {@code 304 Not Modified} answers sent. */
    public int notModified() {
        return notModified.get();
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String rest = exchange.getRequestURI().getPath().substring(path().length());
        String[] parts = rest.isEmpty() ? new String[0] : rest.split("/", -1);
        int page;
        try {
            page = parts.length == 0 ? 0 : Integer.parseInt(parts[0]);
        } catch (NumberFormatException e) {
            Replies.page(exchange, 404, "No page " + rest);
            return;
        }
        if (page < 0 || page > PAGES || parts.length > 2) {
            Replies.page(exchange, 404, "No page " + rest);
            return;
        }
        if (parts.length == 2) {
            answer(
                    exchange,
                    "\"" + page + "-" + parts[1] + "\"",
                    FIRST_DAY,
                    newPage(page, parts[1]));
            return;
        }
        int version = version(page);
        answer(
                exchange,
                "\"" + page + "-" + version + "\"",
                FIRST_DAY.plusDays(version),
                page == 0 ? index(version) : page(page, version));
    }

    private int version(int page) {
        AtomicInteger v = versions.get(page);
        return v == null ? 1 : v.get();
    }

    private void answer(HttpExchange exchange, String etag, ZonedDateTime modified, String html)
            throws IOException {
        String lastModified = DateTimeFormatter.RFC_1123_DATE_TIME.format(modified);
        exchange.getResponseHeaders().set("ETag", etag);
        exchange.getResponseHeaders().set("Last-Modified", lastModified);
        String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
        String ifModifiedSince = exchange.getRequestHeaders().getFirst("If-Modified-Since");
        if (ifNoneMatch != null || ifModifiedSince != null) {
            conditional.incrementAndGet();
        }
        if (!ignoreConditions && notModified(etag, modified, ifNoneMatch, ifModifiedSince)) {
            notModified.incrementAndGet();
            exchange.sendResponseHeaders(304, -1);
            exchange.close();
            return;
        }
        Replies.html(exchange, 200, html);
    }

    private static boolean notModified(
            String etag,
            ZonedDateTime modified,
            @Nullable String ifNoneMatch,
            @Nullable String ifModifiedSince) {
        if (ifNoneMatch != null) {
            for (String tag : ifNoneMatch.split(",")) {
                String t = tag.trim();
                if (t.equals("*") || weak(t).equals(weak(etag))) {
                    return true;
                }
            }
            return false;
        }
        if (ifModifiedSince == null) {
            return false;
        }
        try {
            ZonedDateTime since =
                    ZonedDateTime.parse(ifModifiedSince, DateTimeFormatter.RFC_1123_DATE_TIME);
            return !modified.isAfter(since);
        } catch (DateTimeParseException e) {
            return false; // an invalid date is ignored (RFC 9110 13.1.3)
        }
    }

    private static String weak(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }

    private static String index(int version) {
        StringBuilder links = new StringBuilder("<p class=\"version\">" + version + "</p>\n<ul>\n");
        for (int i = 1; i <= PAGES; i++) {
            links.append("<li><a href=\"/recrawl/")
                    .append(i)
                    .append("\">page ")
                    .append(i)
                    .append("</a></li>\n");
        }
        return Replies.simplePage("Recrawl index", links.append("</ul>\n").toString());
    }

    private static String page(int page, int version) {
        String body =
                "<p class=\"version\">"
                        + version
                        + "</p>\n<a href=\"/recrawl/\">index</a>\n"
                        + (version > 1
                                ? "<a href=\"/recrawl/" + page + "/v" + version + "\">new</a>\n"
                                : "");
        return Replies.simplePage("Page " + page, body);
    }

    private static String newPage(int page, String version) {
        return Replies.simplePage(
                "Page " + page + " " + version, "<p class=\"version\">" + version + "</p>\n");
    }

    @Override
    public void reset() {
        versions.clear();
        conditional.set(0);
        notModified.set(0);
        ignoreConditions = false;
    }
}
