package org.arachne.sandbox.route;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST /api/search} with a JSON body {@code {"q": "salt"}}: a search API that answers only
 * POSTs of JSON, for spiders whose start requests have a method and a body. It answers {@code {"q",
 * "count", "results": [{"id", "title", "price", "url"}]}}: the books of {@link ApiBooksRoute} whose
 * title contains {@code q} (any case), in id order ({@link #search} is what a crawl must find). A
 * GET is 405, a body that is not {@code application/json} 415, and JSON without a string {@code q}
 * 400, each with a JSON {@code {"error"}} naming the problem.
 */
public final class SearchApiRoute implements Route {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String path() {
        return "/api/search";
    }

    /** The books whose title contains {@code q}, in any case, in id order. */
    public static List<ApiBooksRoute.Book> search(String q) {
        String needle = q.toLowerCase(Locale.ROOT);
        return ApiBooksRoute.books().stream()
                .filter(b -> b.title().toLowerCase(Locale.ROOT).contains(needle))
                .toList();
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (!exchange.getRequestMethod().equals("POST")) {
            exchange.getResponseHeaders().set("Allow", "POST");
            error(exchange, 405, "POST a JSON query such as {\"q\": \"salt\"}");
            return;
        }
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            error(exchange, 415, "the body must be application/json, not " + type);
            return;
        }
        JsonNode query;
        try {
            query = JSON.readTree(body);
        } catch (IOException e) {
            error(exchange, 400, "the body is not JSON");
            return;
        }
        if (query == null || !query.path("q").isTextual()) {
            error(exchange, 400, "the query needs a string q");
            return;
        }
        String q = query.get("q").asText();
        List<Map<String, Object>> results = new ArrayList<>();
        for (ApiBooksRoute.Book book : search(q)) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", book.id());
            entry.put("title", book.title());
            entry.put("price", book.price());
            entry.put("url", "/api/books/" + book.id());
            results.add(entry);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("q", q);
        json.put("count", results.size());
        json.put("results", results);
        Replies.json(exchange, json);
    }

    private static void error(HttpExchange exchange, int status, String message)
            throws IOException {
        byte[] body = JSON.writeValueAsBytes(Map.of("error", message));
        Replies.send(exchange, status, "application/json; charset=utf-8", body);
    }
}
