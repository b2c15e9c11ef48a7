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
 * @param name null, or a name by which a rule or a {@code sitemap_rules} entry sends pages to this
 *     block alone; not {@code parse} nor {@code parseLeaf}, the spider's own callbacks, nor one
 *     starting with {@value #FOLLOW_PREFIX}
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

    /**
     * The start of the callback name of pages that a rule with {@code follow: true} sends to a
     * block: {@code parse:book} extracts the items of block {@code book}, then follows the rules.
     */
    public static final String FOLLOW_PREFIX = "parse:";

    public ItemDefinition {
        Objects.requireNonNull(selectorType, "selectorType");
        if (name != null && !isAllowedName(name)) {
            throw new IllegalArgumentException(
                    "an item block cannot be named '"
                            + name
                            + "'; parse, parseLeaf and names starting with parse: are taken");
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

    /** Whether an item block may take this name: not blank nor one of the spider's callbacks. */
    static boolean isAllowedName(String name) {
        return !name.isBlank() && !RESERVED_NAMES.contains(name) && !name.startsWith(FOLLOW_PREFIX);
    }
}
