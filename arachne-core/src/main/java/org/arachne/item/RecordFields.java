package org.arachne.item;

import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalAmount;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;
import org.arachne.internal.JsonValues;
import org.jspecify.annotations.Nullable;

/**
 * Turns a Java record into item fields (#12): the components by name in declaration order, each
 * value made JSON-like. Supported: what {@link JsonValues} accepts as is; a {@code char} as a
 * string; an enum by its name; a nested record as a map in its component order; an {@link Optional}
 * (and {@code OptionalInt}, ...) as its value or null; a collection or an array as a list in
 * iteration order; a map with string or enum keys as a map in iteration order; java.time values
 * ({@code LocalDate}, {@code Instant}, {@code Duration}, ...), {@link URI} and {@link UUID} as
 * their ISO-8601 or standard {@code toString}; an {@link Item} as its fields. Anything else is
 * refused, naming the record class and the component. The accessors of each record class are looked
 * up once ({@link ClassValue}).
 */
final class RecordFields {
    private static final String SUPPORTED =
            "supported: strings, booleans, numbers, chars, enums, records, items, Optional,"
                    + " collections,"
                    + " arrays, maps with string or enum keys, java.time values, URI, UUID, null";

    private static final ClassValue<List<Component>> COMPONENTS =
            new ClassValue<>() {
                @Override
                protected List<Component> computeValue(Class<?> type) {
                    List<Component> components = new ArrayList<>();
                    for (RecordComponent c : type.getRecordComponents()) {
                        Method accessor = c.getAccessor();
                        accessor.setAccessible(true);
                        components.add(new Component(c.getName(), accessor));
                    }
                    return List.copyOf(components);
                }
            };

    private record Component(String name, Method accessor) {}

    private RecordFields() {}

    /**
     * The fields of a record, in component order.
     *
     * @throws IllegalArgumentException naming the record class and the component whose value has no
     *     item form (or whose accessor threw), and the path to it in nested records
     */
    static Map<String, @Nullable Object> fields(Record record) {
        return fields(record, "", 1);
    }

    private static Map<String, @Nullable Object> fields(Record record, String path, int depth) {
        Class<?> type = record.getClass();
        List<Component> components;
        try {
            components = COMPONENTS.get(type);
        } catch (RuntimeException e) { // InaccessibleObjectException, SecurityException
            throw new IllegalArgumentException(
                    "record " + type.getName() + " cannot be read as an item: " + e.getMessage(),
                    e);
        }
        Map<String, @Nullable Object> fields = LinkedHashMap.newLinkedHashMap(components.size());
        for (Component c : components) {
            Object value;
            try {
                value = c.accessor().invoke(record);
            } catch (InvocationTargetException e) {
                throw new IllegalArgumentException(
                        "record "
                                + type.getName()
                                + ", component "
                                + c.name()
                                + ": its accessor threw "
                                + e.getCause(),
                        e.getCause());
            } catch (IllegalAccessException e) {
                throw new IllegalArgumentException(
                        "record " + type.getName() + ", component " + c.name() + ": " + e, e);
            }
            String at = path.isEmpty() ? c.name() : path + "." + c.name();
            fields.put(c.name(), value(value, type, c.name(), at, depth));
        }
        return fields;
    }

    private static @Nullable Object value(
            @Nullable Object value, Class<?> record, String component, String path, int depth) {
        if (depth > JsonValues.MAX_DEPTH) {
            throw refused(record, component, path, value, "nested deeper than the limit");
        }
        if (JsonValues.isScalar(value)) {
            return value;
        }
        return switch (value) {
            case Item item -> item.fields(); // a record too, but already its fields
            case Character c -> c.toString();
            case Enum<?> e -> e.name();
            case Record r -> fields(r, path, depth + 1);
            case Optional<?> o -> value(o.orElse(null), record, component, path, depth);
            case OptionalInt o -> o.isPresent() ? o.getAsInt() : null;
            case OptionalLong o -> o.isPresent() ? o.getAsLong() : null;
            case OptionalDouble o -> o.isPresent() ? o.getAsDouble() : null;
            case TemporalAccessor t -> t.toString();
            case TemporalAmount t -> t.toString();
            case URI u -> u.toString();
            case UUID u -> u.toString();
            case Collection<?> list -> {
                List<@Nullable Object> copy = new ArrayList<>(list.size());
                int i = 0;
                for (Object element : list) {
                    copy.add(value(element, record, component, path + "[" + i++ + "]", depth + 1));
                }
                yield copy;
            }
            case Map<?, ?> map -> {
                Map<String, @Nullable Object> copy = LinkedHashMap.newLinkedHashMap(map.size());
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    String key =
                            switch (entry.getKey()) {
                                case String s -> s;
                                case Enum<?> e -> e.name();
                                case null, default ->
                                        throw refused(
                                                record,
                                                component,
                                                path,
                                                entry.getKey(),
                                                "a map key that is not a string or an enum");
                            };
                    copy.put(
                            key,
                            value(
                                    entry.getValue(),
                                    record,
                                    component,
                                    path + "." + key,
                                    depth + 1));
                }
                yield copy;
            }
            default -> {
                if (!value.getClass().isArray()) {
                    throw refused(record, component, path, value, "a value with no item form");
                }
                int length = Array.getLength(value);
                List<@Nullable Object> copy = new ArrayList<>(length);
                for (int i = 0; i < length; i++) {
                    copy.add(
                            value(
                                    Array.get(value, i),
                                    record,
                                    component,
                                    path + "[" + i + "]",
                                    depth + 1));
                }
                yield copy;
            }
        };
    }

    private static IllegalArgumentException refused(
            Class<?> record, String component, String path, @Nullable Object value, String what) {
        return new IllegalArgumentException(
                "record "
                        + record.getName()
                        + ", component "
                        + component
                        + (path.equals(component) ? "" : " (at " + path + ")")
                        + ": "
                        + what
                        + ", a "
                        + (value == null ? "null" : value.getClass().getName())
                        + "; "
                        + SUPPORTED);
    }
}
