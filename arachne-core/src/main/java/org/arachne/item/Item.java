package org.arachne.item;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.arachne.internal.JsonValues;
import org.jspecify.annotations.Nullable;

/**
 * One scraped record: named fields in the order they were added. Immutable, deeply: lists and maps
 * given as values are copied.
 *
 * <p>Values are JSON-like, so that every exporter can write them: strings, booleans, numbers
 * ({@code int}, {@code long}, {@code double}, {@code float}, {@code short}, {@code byte}, {@code
 * BigInteger}, {@code BigDecimal}), null, lists, and maps with string keys, nested. Anything else
 * (a {@code java.time.Instant}, an array, a {@code Set}) is refused when the item is made; convert
 * it first, for example to a string.
 *
 * <p>Errors: the constructor, {@link #of} and {@link #with} throw {@link IllegalArgumentException}
 * naming the path of the value ({@code offers[2].price}) and its type. In a callback this fails the
 * callback, which the engine counts and logs with the response URL; items emitted before stay.
 */
public record Item(Map<String, @Nullable Object> fields) {
    public Item {
        Objects.requireNonNull(fields, "fields");
        fields = JsonValues.copyFields(fields, "item field", null);
    }

    /** An item of these fields, in the map's iteration order. */
    public static Item of(Map<String, ?> fields) {
        return new Item(Collections.<String, @Nullable Object>unmodifiableMap(fields));
    }

    /**
     * An item of a record's components, by name in declaration order (#12): {@code
     * Item.fromRecord(new Book("Dune", 9.5))} equals {@code Item.of("title", "Dune", "price",
     * 9.5)}, so every feed writes the two alike. Nested records become maps in their component
     * order; an enum its name; an {@code Optional} its value or null; collections and arrays lists;
     * maps with string or enum keys maps; java.time values, {@code URI} and {@code UUID} their
     * ISO-8601 or standard string; a {@code char} a string; an {@code Item} its fields. Annotations
     * such as Jackson's {@code @JsonProperty} are not read: the names are the components'.
     *
     * @throws IllegalArgumentException naming the record class and the component whose value has
     *     none of these forms
     */
    public static Item fromRecord(Record record) {
        Objects.requireNonNull(record, "record");
        return new Item(RecordFields.fields(record));
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
