package org.arachne.spider.yaml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.arachne.http.Response;
import org.arachne.item.Item;
import org.arachne.select.Page;
import org.arachne.select.PythonRegex;
import org.arachne.select.Selection;
import org.arachne.url.Urls;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Extracts the items of one {@link ItemDefinition} from a page, with its regexes compiled once.
 * Thread-safe: it holds no state between pages.
 */
final class ItemExtractor {
    private static final Logger LOG = LoggerFactory.getLogger(ItemExtractor.class);

    private final ItemDefinition definition;
    private final @Nullable Pattern urlPattern;
    private final List<@Nullable Pattern> regexes = new ArrayList<>();

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
            regexes.add(field.regex() == null ? null : PythonRegex.compile(field.regex()));
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
            dropped += add(response, whole, response::text, items, unconverted);
        } else {
            for (Selection node :
                    select(page.xpath("/"), definition.selectorType(), each).nodes()) {
                dropped += add(response, node, () -> node.get(""), items, unconverted);
            }
        }
        return new Result(items, dropped, unconverted);
    }

    /**
     * Adds the item of one scope to {@code items}; returns 1 if it was dropped, else 0. The scope's
     * source text is rendered only for fields that need it (a regex without a selector).
     */
    private int add(
            Response response,
            Selection scope,
            Supplier<String> source,
            List<Item> items,
            List<String> unconverted) {
        Map<String, @Nullable Object> fields = new LinkedHashMap<>();
        boolean found = false;
        boolean extracted = false;
        List<FieldDefinition> definitions = definition.fields();
        for (int i = 0; i < definitions.size(); i++) {
            FieldDefinition field = definitions.get(i);
            Object value = value(field, regexes.get(i), response, scope, source, unconverted);
            if (field.constant() == null) {
                extracted = true;
                found |= value != null;
            }
            if (value == null && field.required()) {
                return 1;
            }
            fields.put(field.name(), value == null ? emptyValue(field) : value);
        }
        if (found || !extracted) {
            items.add(new Item(fields));
        }
        return 0;
    }

    private static @Nullable Object emptyValue(FieldDefinition field) {
        if (field.defaultValue() != null) {
            return field.defaultValue();
        }
        return field.type() == FieldType.LIST ? List.of() : null;
    }

    /** The field's value, or null when nothing was found. */
    private static @Nullable Object value(
            FieldDefinition field,
            @Nullable Pattern regex,
            Response response,
            Selection scope,
            Supplier<String> source,
            List<String> unconverted) {
        List<String> texts;
        if (field.constant() != null) {
            texts = List.of(field.constant());
        } else if (field.selector() != null && field.selectorType() != null) {
            texts = select(scope, field.selectorType(), field.selector()).getAll();
        } else {
            texts = List.of(source.get());
        }
        if (regex != null) {
            texts = matches(regex, texts);
        }
        if (field.type() == FieldType.LIST) {
            List<String> all = new ArrayList<>();
            for (String text : texts) {
                if (!text.isBlank()) {
                    all.add(text.strip());
                }
            }
            return all.isEmpty() ? null : List.copyOf(all);
        }
        for (String text : texts) {
            if (text.isBlank()) {
                continue;
            }
            if (field.type() != FieldType.URL) {
                Object converted = field.type().convert(text);
                if (converted == null) {
                    unconverted.add(field.name());
                    LOG.debug(
                            "field {}: '{}' on {} is not a {}",
                            field.name(),
                            text.strip(),
                            response.url(),
                            field.type().yamlName());
                }
                return converted;
            }
            try {
                return response.urljoin(text.strip());
            } catch (IllegalArgumentException e) {
                LOG.debug(
                        "field {}: '{}' on {} is not a URL: {}",
                        field.name(),
                        Urls.redacted(text),
                        Urls.redacted(response.url()),
                        e.getMessage());
                return null;
            }
        }
        return null;
    }

    private static Selection select(Selection scope, SelectorType type, String expr) {
        return type == SelectorType.XPATH ? scope.xpath(expr) : scope.css(expr);
    }

    /**
     * Applies a regex to each text as parsel's {@code re} does (see {@link Selection#re(Pattern)}).
     */
    private static List<String> matches(Pattern regex, List<String> texts) {
        List<String> out = new ArrayList<>();
        for (String text : texts) {
            out.addAll(Selection.ofText(text).re(regex));
        }
        return out;
    }
}
