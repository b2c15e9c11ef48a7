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
 * @param selectorType the language of {@code each} and of fields written as a bare selector
 * @param fields in the order the item's fields are emitted; names are unique
 */
public record ItemDefinition(
        @Nullable String each,
        SelectorType selectorType,
        @Nullable String urlPattern,
        List<FieldDefinition> fields) {

    public ItemDefinition {
        Objects.requireNonNull(selectorType, "selectorType");
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
