package org.arachne.spider.yaml;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One kind of item a spider extracts: from every page whose URL matches {@code urlPattern} (every
 * page when null), one item per node that {@code each} selects, or one item per page when {@code
 * each} is null. Immutable.
 *
 * @param name null, or a name by which a {@code sitemap_rules} entry sends pages to this block
 *     alone; not {@code parse} nor {@code parseLeaf}, the spider's own callbacks
 * @param selectorType the language of {@code each} and of fields written as a bare selector
 * @param fields in the order the item's fields are emitted; names are unique
 */
public record ItemDefinition(
        @Nullable String name,
        @Nullable String each,
        SelectorType selectorType,
        @Nullable String urlPattern,
        List<FieldDefinition> fields) {

    /** Names of the declarative spider's own callbacks, which an item block cannot take. */
    public static final Set<String> RESERVED_NAMES = Set.of("parse", "parseLeaf");

    public ItemDefinition {
        Objects.requireNonNull(selectorType, "selectorType");
        if (name != null && (name.isBlank() || RESERVED_NAMES.contains(name))) {
            throw new IllegalArgumentException(
                    "an item block cannot be named '" + name + "'; parse and parseLeaf are taken");
        }
        fields = List.copyOf(fields);
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("an item needs at least one field");
        }
        Set<String> names = new HashSet<>();
        for (FieldDefinition field : fields) {
            if (!names.add(field.name())) {
                throw new IllegalArgumentException("field '" + field.name() + "' is defined twice");
            }
        }
    }
}
