package org.arachne.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Immutable bytes of a request or response body. Wraps the array so that records holding a body
 * keep value equality; the array handed in is not copied, so callers must not change it afterwards.
 */
public final class Body {
    /** A body of no bytes. */
    public static final Body EMPTY = new Body(new byte[0]);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final byte[] bytes;

    private Body(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Wraps these bytes without copying them; the caller gives up the right to change them. */
    public static Body wrap(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new Body(bytes);
    }

    /** The UTF-8 bytes of this text. */
    public static Body utf8(String text) {
        return wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The UTF-8 JSON text of a value: maps, lists, strings, numbers, booleans, null, records or any
     * other value Jackson writes.
     *
     * @throws IllegalArgumentException if Jackson cannot write it
     */
    public static Body json(@Nullable Object value) {
        try {
            return wrap(JSON.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "cannot write the request body as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * These fields as an HTML form sends them ({@code application/x-www-form-urlencoded}, UTF-8),
     * in the map's order. A value that is a collection sends the field once per element ({@code
     * tag=a&tag=b}); other values are sent as their {@code toString()}.
     */
    public static Body form(Map<String, ?> fields) {
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        fields.forEach(
                (name, value) -> {
                    if (value instanceof Iterable<?> values) {
                        values.forEach(v -> pairs.add(Map.entry(name, String.valueOf(v))));
                    } else {
                        pairs.add(Map.entry(name, String.valueOf(value)));
                    }
                });
        return utf8(FormEncoding.encode(pairs, StandardCharsets.UTF_8));
    }

    public int length() {
        return bytes.length;
    }

    public boolean isEmpty() {
        return bytes.length == 0;
    }

    /** A copy of the bytes. */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    /**
     * The bytes themselves, not copied, for code on the hot path that only reads them (parsers,
     * hashing, exporters). Never modify the returned array.
     */
    public byte[] unsafeBytes() {
        return bytes;
    }

    public String decode(Charset charset) {
        return new String(bytes, charset);
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof Body that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "Body[" + bytes.length + " bytes]";
    }
}
