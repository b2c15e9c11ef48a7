package org.arachne.item;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One scraped record: named fields in the order they were added. Values are JSON-like: strings,
 * numbers, booleans, null, lists and maps of those. Immutable.
 */
public record Item(Map<String, @Nullable Object> fields) {
    public Item {
        Objects.requireNonNull(fields, "fields");
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** An item of these fields, in the map's iteration order. */
    public static Item of(Map<String, ?> fields) {
        return new Item(new LinkedHashMap<String, @Nullable Object>(fields));
    }

    /** An item from alternating names and values: {@code Item.of("title", t, "price", p)}. */
    public static Item of(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("Item.of needs name/value pairs, got an odd count");
        }
        Map<String, @Nullable Object> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put(String.valueOf(namesAndValues[i]), namesAndValues[i + 1]);
        }
        return new Item(map);
    }

    public @Nullable Object get(String field) {
        return fields.get(field);
    }

    /** A copy with this field set (added at the end if new). */
    public Item with(String field, @Nullable Object value) {
        Map<String, @Nullable Object> copy = new LinkedHashMap<>(fields);
        copy.put(field, value);
        return new Item(copy);
    }
}
