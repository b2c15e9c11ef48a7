package org.arachne.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An immutable, ordered list of HTTP header fields whose names compare case-insensitively. A name
 * may repeat (for example {@code Set-Cookie}); {@link #first} and {@link #all} read them.
 */
public final class Headers {
    /** No header fields. */
    public static final Headers EMPTY = new Headers(List.of());

    private final List<String> namesAndValues;

    private Headers(List<String> namesAndValues) {
        this.namesAndValues = namesAndValues;
    }

    /** Headers from alternating names and values: {@code Headers.of("Accept", "text/html")}. */
    public static Headers of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException(
                    "Headers.of needs name/value pairs, got an odd count");
        }
        List<String> list = new ArrayList<>(namesAndValues.length);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            list.add(checkName(namesAndValues[i]));
            list.add(Objects.requireNonNull(namesAndValues[i + 1], "header value"));
        }
        return new Headers(List.copyOf(list));
    }

    /** Headers from a map; iteration order of the map is kept. */
    public static Headers of(Map<String, String> map) {
        List<String> list = new ArrayList<>(map.size() * 2);
        map.forEach(
                (name, value) -> {
                    list.add(checkName(name));
                    list.add(Objects.requireNonNull(value, "header value"));
                });
        return new Headers(List.copyOf(list));
    }

    private static String checkName(@Nullable String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("header name must not be blank");
        }
        return name;
    }

    /** The value of the first field with this name, or null. */
    public @Nullable String first(String name) {
        for (int i = 0; i < namesAndValues.size(); i += 2) {
            if (namesAndValues.get(i).equalsIgnoreCase(name)) {
                return namesAndValues.get(i + 1);
            }
        }
        return null;
    }

    /** Every value of fields with this name, in order; empty if none. */
    public List<String> all(String name) {
        List<String> values = new ArrayList<>(2);
        for (int i = 0; i < namesAndValues.size(); i += 2) {
            if (namesAndValues.get(i).equalsIgnoreCase(name)) {
                values.add(namesAndValues.get(i + 1));
            }
        }
        return Collections.unmodifiableList(values);
    }

    public boolean contains(String name) {
        return first(name) != null;
    }

    /** A copy with every field of this name replaced by one field with this value. */
    public Headers with(String name, String value) {
        List<String> list = new ArrayList<>(namesAndValues.size() + 2);
        for (int i = 0; i < namesAndValues.size(); i += 2) {
            if (!namesAndValues.get(i).equalsIgnoreCase(name)) {
                list.add(namesAndValues.get(i));
                list.add(namesAndValues.get(i + 1));
            }
        }
        list.add(checkName(name));
        list.add(Objects.requireNonNull(value, "header value"));
        return new Headers(List.copyOf(list));
    }

    /** A copy with the given field added only if no field of that name exists yet. */
    public Headers withDefault(String name, String value) {
        return contains(name) ? this : with(name, value);
    }

    /** A copy with the fields of {@code defaults} added where this has no field of that name. */
    public Headers withDefaults(Headers defaults) {
        Headers result = this;
        for (int i = 0; i < defaults.size(); i++) {
            result = result.withDefault(defaults.name(i), defaults.value(i));
        }
        return result;
    }

    /** The number of fields. */
    public int size() {
        return namesAndValues.size() / 2;
    }

    public String name(int index) {
        return namesAndValues.get(index * 2);
    }

    public String value(int index) {
        return namesAndValues.get(index * 2 + 1);
    }

    public boolean isEmpty() {
        return namesAndValues.isEmpty();
    }

    @Override
    public boolean equals(@Nullable Object other) {
        if (!(other instanceof Headers that) || that.size() != size()) {
            return false;
        }
        for (int i = 0; i < namesAndValues.size(); i += 2) {
            if (!namesAndValues.get(i).equalsIgnoreCase(that.namesAndValues.get(i))
                    || !namesAndValues.get(i + 1).equals(that.namesAndValues.get(i + 1))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int hash = 1;
        for (int i = 0; i < namesAndValues.size(); i += 2) {
            hash = 31 * hash + namesAndValues.get(i).toLowerCase(Locale.ROOT).hashCode();
            hash = 31 * hash + namesAndValues.get(i + 1).hashCode();
        }
        return hash;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < namesAndValues.size(); i += 2) {
            if (i > 0) {
                sb.append(", ");
            }
            String name = namesAndValues.get(i);
            boolean secret =
                    name.equalsIgnoreCase("Authorization")
                            || name.equalsIgnoreCase("Proxy-Authorization")
                            || name.equalsIgnoreCase("Cookie");
            sb.append(name).append('=').append(secret ? "<hidden>" : namesAndValues.get(i + 1));
        }
        return sb.append('}').toString();
    }
}
