package org.arachne.sandbox.route;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One request as a {@link WireRoute} sees it: the request line and header fields read off the raw
 * connection (names lower-cased, the first of each kept), its body skipped.
 *
 * @param target the request target as sent, e.g. {@code /wire/close/3?header=true}
 * @param headers header fields by lower-case name
 */
public record WireRequest(String method, String target, Map<String, String> headers) {
    /** The longest request head read; a longer one ends the connection. */
    public static final int MAX_HEAD = 64 * 1024;

    public WireRequest {
        headers = Map.copyOf(headers);
    }

    /** The target's path, without the query. */
    public String path() {
        int query = target.indexOf('?');
        return query < 0 ? target : target.substring(0, query);
    }

    /** The target's decoded query parameters. */
    public Query query() {
        return Query.parse(URI.create(target).getRawQuery());
    }

    /**
     * Reads the next request head from {@code in} and skips its body ({@code Content-Length}
     * bytes); null when the client closed the connection before sending one.
     *
     * @throws IOException when the connection fails or the head is malformed or over {@link
     *     #MAX_HEAD}
     */
    public static @Nullable WireRequest read(InputStream in) throws IOException {
        String requestLine = line(in);
        if (requestLine == null) {
            return null;
        }
        String[] parts = requestLine.split(" ");
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x request line: " + requestLine);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        int size = requestLine.length();
        for (String field; !(field = requiredLine(in)).isEmpty(); ) {
            size += field.length();
            if (size > MAX_HEAD) {
                throw new IOException("request head over " + MAX_HEAD + " bytes");
            }
            int colon = field.indexOf(':');
            if (colon > 0) {
                headers.putIfAbsent(
                        field.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        field.substring(colon + 1).strip());
            }
        }
        String length = headers.get("content-length");
        if (length != null) {
            in.skipNBytes(Long.parseLong(length));
        }
        return new WireRequest(parts[0], parts[1], headers);
    }

    private static String requiredLine(InputStream in) throws IOException {
        String line = line(in);
        if (line == null) {
            throw new IOException("connection closed inside a request head");
        }
        return line;
    }

    /** One line without its CRLF (or LF); null at the end of the stream before any byte. */
    private static @Nullable String line(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                if (bytes.size() == 0) {
                    return null;
                }
                throw new IOException("connection closed inside a request line");
            }
            if (bytes.size() >= MAX_HEAD) {
                throw new IOException("request line over " + MAX_HEAD + " bytes");
            }
            bytes.write(b);
        }
        String line = bytes.toString(StandardCharsets.ISO_8859_1);
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }
}
