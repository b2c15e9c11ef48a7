package org.arachne.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The one definition of a JSON-like value, shared by item fields and request meta: strings,
 * booleans, numbers ({@code int}, {@code long}, {@code double}, {@code float}, {@code short},
 * {@code byte}, {@link BigInteger}, {@link BigDecimal}), null, lists, and maps with string keys,
 * nested. These are what every exporter (JSON Lines, JSON, CSV) and every frontier can write.
 *
 * <p>Why: an item holding another value (a {@code java.time.Instant}) failed half-way through its
 * JSON Lines record and left a torn line (#8). Values are now refused where they are made, with the
 * path of the field ({@code offers[2].price}) and the value's type.
 *
 * <p>Copies are deep and unmodifiable, so that a caller who changes a list after making an item
 * cannot put an unchecked value into it.
 */
public final class JsonValues {
    private static final String RULE =
            "values must be strings, booleans, numbers (int, long, double, float, short, byte,"
                    + " BigInteger, BigDecimal), null, lists, or maps with string keys";

    /**
     * How deep lists and maps may nest: deeper values are refused where they are made, since the
     * JSON writers refuse them later (Jackson stops at 1,000 levels) and a deep value is a bug.
     */
    public static final int MAX_DEPTH = 500;

    private JsonValues() {}

    /**
     * An unmodifiable deep copy of named values, in the map's order.
     *
     * @param owner what the values are, for the error: {@code "item field"}, {@code "meta"}
     * @param where whose values they are, for the error (a URL), or null
     * @throws IllegalArgumentException naming the path ({@code offers[2].price}) and the type of
     *     the first value that is not JSON-like, or a name that is not a string
     */
    public static Map<String, @Nullable Object> copyFields(
            Map<?, ?> fields, String owner, @Nullable String where) {
        Map<String, @Nullable Object> copy = LinkedHashMap.newLinkedHashMap(fields.size());
        for (Map.Entry<?, ?> field : fields.entrySet()) {
            if (!(field.getKey() instanceof String name)) {
                throw new IllegalArgumentException(
                        owner
                                + " name "
                                + field.getKey()
                                + located(where)
                                + " is a "
                                + typeOf(field.getKey())
                                + "; names must be strings");
            }
            try {
                copy.put(name, copy(field.getValue(), 1));
            } catch (Refused refused) {
                refused.path.addFirst(name);
                throw refused.toException(owner, where);
            }
        }
        return Collections.unmodifiableMap(copy);
    }

    /**
     * Whether a value is one an item keeps as it is: null, a string, a boolean or a number of the
     * JDK's ({@code Integer}, {@code Long}, {@code Double}, {@code BigDecimal}, ...).
     */
    public static boolean isScalar(@Nullable Object value) {
        return value == null
                || value instanceof String
                || value instanceof Boolean
                || value instanceof Integer
                || value instanceof Long
                || value instanceof Double
                || value instanceof Float
                || value instanceof Short
                || value instanceof Byte
                || value instanceof BigInteger
                || value instanceof BigDecimal;
    }

    private static @Nullable Object copy(@Nullable Object value, int depth) {
        if (isScalar(value)) {
            return value;
        }
        if ((value instanceof List<?> || value instanceof Map<?, ?>) && depth > MAX_DEPTH) {
            throw new Refused("nests lists and maps deeper than " + MAX_DEPTH + " levels");
        }
        if (value instanceof List<?> list) {
            List<@Nullable Object> copy = new ArrayList<>(list.size());
            int index = 0;
            for (Object element : list) {
                try {
                    copy.add(copy(element, depth + 1));
                } catch (Refused refused) {
                    refused.path.addFirst("[" + index + "]");
                    throw refused;
                }
                index++;
            }
            return Collections.unmodifiableList(copy);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, @Nullable Object> copy = LinkedHashMap.newLinkedHashMap(map.size());
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String key)) {
                    throw new Refused(
                            "has a key "
                                    + entry.getKey()
                                    + " of type "
                                    + typeOf(entry.getKey())
                                    + "; map keys must be strings");
                }
                try {
                    copy.put(key, copy(entry.getValue(), depth + 1));
                } catch (Refused refused) {
                    refused.path.addFirst("." + key);
                    throw refused;
                }
            }
            return Collections.unmodifiableMap(copy);
        }
        throw new Refused("holds a " + typeOf(value) + "; " + RULE);
    }

    private static String typeOf(@Nullable Object value) {
        return value == null ? "null" : value.getClass().getName();
    }

    private static String located(@Nullable String where) {
        return where == null ? "" : " of " + where;
    }

    /**
     * A refusal on its way out of the nesting: each level adds its step to the path, so that paths
     * are built only when a value is refused.
     */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final transient Deque<String> path = new ArrayDeque<>();

        Refused(String problem) {
            super(problem, null, false, false);
        }

        IllegalArgumentException toException(String owner, @Nullable String where) {
            return new IllegalArgumentException(
                    owner
                            + " '"
                            + String.join("", path)
                            + "'"
                            + located(where)
                            + " "
                            + getMessage());
        }
    }
}
