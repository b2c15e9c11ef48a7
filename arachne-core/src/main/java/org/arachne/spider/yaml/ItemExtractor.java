package org.arachne.spider.yaml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.arachne.http.Response;
import org.arachne.item.Item;
import org.arachne.select.Page;
import org.arachne.select.PythonRegex;
import org.arachne.select.Selection;
import org.jspecify.annotations.Nullable;

/**
 * Extracts the items of one {@link ItemDefinition} from a page, with its regexes compiled once.
 * Thread-safe: it holds no state between pages.
 */
final class ItemExtractor {
    private final ItemDefinition definition;
    private final @Nullable Pattern urlPattern;
    private final List<FieldExtractor> fields = new ArrayList<>();

    /**
     * The items of one page, how many were dropped for a missing required field, and the fields
     * whose text could not be converted to their type (once per value that could not).
     */
    record Result(List<Item> items, int dropped, List<String> unconverted) {}

    ItemExtractor(ItemDefinition definition) {
        this.definition = definition;
        this.urlPattern =
                definition.urlPattern() == null
                        ? null
                        : PythonRegex.compile(definition.urlPattern());
        for (FieldDefinition field : definition.fields()) {
            fields.add(new FieldExtractor(field));
        }
    }

    Result extract(Response response, Page page) {
        if (urlPattern != null && !urlPattern.matcher(response.url()).find()) {
            return new Result(List.of(), 0, List.of());
        }
        List<Item> items = new ArrayList<>();
        List<String> unconverted = new ArrayList<>();
        int dropped = 0;
        String each = definition.each();
        if (each == null) {
            Selection whole = page.xpath("/");
            dropped +=
                    add(
                            new FieldExtractor.Scope(response, whole, response::text),
                            items,
                            unconverted);
        } else {
            for (Selection node :
                    FieldExtractor.select(page.xpath("/"), definition.selectorType(), each)
                            .nodes()) {
                dropped +=
                        add(
                                new FieldExtractor.Scope(response, node, () -> node.get("")),
                                items,
                                unconverted);
            }
        }
        return new Result(items, dropped, unconverted);
    }

    /**
     * Adds the item of one scope to {@code items}; returns 1 if it was dropped, else 0. A scope
     * where no field finds anything but constants and page values gives no item. The scope's source
     * text is rendered only for fields that need it (a regex without a selector).
     */
    private int add(FieldExtractor.Scope scope, List<Item> items, List<String> unconverted) {
        Map<String, @Nullable Object> values = new LinkedHashMap<>();
        boolean found = false;
        boolean extracted = false;
        for (FieldExtractor extractor : fields) {
            FieldDefinition field = extractor.definition();
            Object value = extractor.value(scope, unconverted);
            if (field.constant() == null && field.value() == null) {
                extracted = true;
                found |= value != null;
            }
            if (value == null && field.required()) {
                return 1;
            }
            values.put(field.name(), value == null ? emptyValue(field) : value);
        }
        if (found || !extracted) {
            items.add(new Item(values));
        }
        return 0;
    }

    private static @Nullable Object emptyValue(FieldDefinition field) {
        if (field.defaultValue() != null) {
            return field.defaultValue();
        }
        return field.type() == FieldType.LIST ? List.of() : null;
    }
}
