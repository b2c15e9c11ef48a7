package org.arachne.sandbox.route;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.arachne.sandbox.SuppressForbidden;

/**
 * How routes answer: whole bodies with a declared length, redirects, JSON, and deliberate delays.
 */
public final class Replies {
    /** The content type of every HTML page the sandbox writes in UTF-8. */
    public static final String HTML_UTF8 = "text/html; charset=utf-8";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Replies() {}

    /**
     * Sends {@code body} with a Content-Length and closes the exchange. An empty body is sent with
     * no body at all (needed for 204 and 304).
     */
    public static void send(HttpExchange exchange, int status, String contentType, byte[] body)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Sends a UTF-8 HTML page. */
    public static void html(HttpExchange exchange, int status, String html) throws IOException {
        send(exchange, status, HTML_UTF8, html.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a minimal UTF-8 HTML page with {@code title} as title and heading. */
    public static void page(HttpExchange exchange, int status, String title) throws IOException {
        html(exchange, status, simplePage(title, ""));
    }

    /** A small complete HTML document; {@code body} is inserted as is after the heading. */
    public static String simplePage(String title, String body) {
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>"
                + title
                + "</title></head>\n<body><h1>"
                + title
                + "</h1>\n"
                + body
                + "</body></html>\n";
    }

    /** Sends {@code value} as UTF-8 JSON. */
    public static void json(HttpExchange exchange, Object value) throws IOException {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("routes only send maps, lists and strings", e);
        }
        send(exchange, 200, "application/json; charset=utf-8", body);
    }

    /** Sends a redirect with a {@code Location} header and a short HTML body naming the target. */
    public static void redirect(HttpExchange exchange, int status, String location)
            throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        html(exchange, status, simplePage("Redirecting", "<p>See " + location + "</p>\n"));
    }

    /** Blocks the calling (virtual) thread for {@code delay}: the sandbox's one deliberate wait. */
    @SuppressForbidden(reason = "a slow server must really take its time; nothing to wait on")
    public static void pause(Duration delay) {
        if (delay.isZero() || delay.isNegative()) {
            return;
        }
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
