package org.arachne.spider.yaml;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One field of an item: where its text comes from and how it becomes a value. The source is exactly
 * one of: a selector ({@code selectorType} and {@code selector}), a {@code regex} alone (applied to
 * the page source, or to the HTML of the item's {@code each} node), a {@code constant}, or a {@code
 * value} of the response (its URL, status, a header, a meta value); a selector's or a value's texts
 * may be filtered by {@code regex}. What the source finds (every match, in page order) goes through
 * the {@code processors} in order, then {@code type} makes the value. Immutable.
 *
 * @param processors the steps between what the source finds and the type, in order; empty for none
 * @param required when true, an item whose field has no value is dropped
 * @param defaultValue the value when nothing is found, already of the field's type (a {@link Long},
 *     {@link java.math.BigDecimal}, string or list of strings); null for none
 */
public record FieldDefinition(
        String name,
        @Nullable SelectorType selectorType,
        @Nullable String selector,
        @Nullable String regex,
        @Nullable String constant,
        @Nullable PageValue value,
        List<FieldProcessor> processors,
        FieldType type,
        boolean required,
        @Nullable Object defaultValue) {

    public FieldDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        processors = List.copyOf(processors);
        if (name.isBlank()) {
            throw new IllegalArgumentException("a field needs a name");
        }
        if ((selectorType == null) != (selector == null)) {
            throw new IllegalArgumentException(
                    "field '" + name + "': selectorType and selector go together");
        }
        int sources =
                (selector != null ? 1 : 0)
                        + (constant != null ? 1 : 0)
                        + (value != null ? 1 : 0)
                        + (selector == null && value == null && regex != null ? 1 : 0);
        if (sources != 1 || (constant != null && regex != null)) {
            throw new IllegalArgumentException(
                    "field '"
                            + name
                            + "' needs exactly one of a selector, a regex, a constant or a value");
        }
        if (required && defaultValue != null) {
            throw new IllegalArgumentException(
                    "field '" + name + "' cannot be both required and have a default");
        }
    }
}
