package org.arachne.sandbox.route;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JSON API of books, for spiders that read JSON: {@code /api/books?page=N} (N in 1..{@value
 * #PAGES}, default 1) lists {@value #PAGE_SIZE} books a page as {@code {"page", "pages", "count",
 * "books": [{"id", "title", "price", "tags", "url"}], "next"}}, where {@code next} is the relative
 * URL of the next page ({@code null} on the last) and {@code url} that of the book's own {@code
 * /api/books/ID}, which gives {@code {"id", "title", "price", "stock", "description"}}. Prices are
 * JSON numbers with two decimals. {@link #books()} is what a complete crawl must find.
 */
public final class ApiBooksRoute implements Route {
    /** Books in the whole list. */
    public static final int TOTAL = 45;

    /** Books per list page. */
    public static final int PAGE_SIZE = 10;

    /** List pages. */
    public static final int PAGES = (TOTAL + PAGE_SIZE - 1) / PAGE_SIZE;

    private static final Pattern BOOK = Pattern.compile("/api/books/(\\d+)");

    private static final String[] TITLES = {
        "Atlas of Quiet Rivers",
        "The Salt Orchard",
        "红楼梦",
        "Crème Brûlée for Beginners",
        "A Lantern in the Archive",
        "Winter Station",
        "平凡的世界",
        "The Glass Compass",
        "Notes from the Harbor"
    };

    private static final String[] TAGS = {"fiction", "travel", "poetry", "history", "cooking"};

    /**
     * One book as the API gives it: {@code id} from 1, {@code tags} one or two of the list's, and
     * {@code stock} and {@code description} on its own page only.
     */
    public record Book(
            int id,
            String title,
            BigDecimal price,
            List<String> tags,
            int stock,
            String description) {}

    /** Every book, in list order: book i (from 1) is the i-th. */
    public static List<Book> books() {
        List<Book> books = new ArrayList<>();
        for (int id = 1; id <= TOTAL; id++) {
            books.add(book(id));
        }
        return books;
    }

    private static Book book(int id) {
        String title = TITLES[id % TITLES.length] + " (" + id + ")";
        BigDecimal price = BigDecimal.valueOf(500 + (id * 737L) % 4500, 2);
        List<String> tags =
                id % 3 == 0
                        ? List.of(TAGS[id % TAGS.length])
                        : List.of(TAGS[id % TAGS.length], TAGS[(id + 2) % TAGS.length]);
        return new Book(id, title, price, tags, (id * 7) % 23, "Book " + id + " of " + TOTAL + ".");
    }

    @Override
    public String path() {
        return "/api/";
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/api/books")) {
            list(exchange, Query.of(exchange).intValue("page", 1, 1, PAGES));
            return;
        }
        Matcher m = BOOK.matcher(path);
        int id = m.matches() && m.group(1).length() < 4 ? Integer.parseInt(m.group(1)) : 0;
        if (id < 1 || id > TOTAL) {
            Replies.send(
                    exchange,
                    404,
                    "application/json; charset=utf-8",
                    "{\"error\": \"not found\"}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        Book book = book(id);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", book.id());
        json.put("title", book.title());
        json.put("price", book.price());
        json.put("stock", book.stock());
        json.put("description", book.description());
        Replies.json(exchange, json);
    }

    private static void list(HttpExchange exchange, int page) throws IOException {
        List<Map<String, Object>> entries = new ArrayList<>();
        for (int id = (page - 1) * PAGE_SIZE + 1; id <= Math.min(page * PAGE_SIZE, TOTAL); id++) {
            Book book = book(id);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", book.id());
            entry.put("title", book.title());
            entry.put("price", book.price());
            entry.put("tags", book.tags());
            entry.put("url", "/api/books/" + book.id());
            entries.add(entry);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("page", page);
        json.put("pages", PAGES);
        json.put("count", TOTAL);
        json.put("books", entries);
        json.put("next", page < PAGES ? "/api/books?page=" + (page + 1) : null);
        Replies.json(exchange, json);
    }
}
