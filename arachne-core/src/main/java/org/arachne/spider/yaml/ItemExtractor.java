package org.arachne.spider.yaml;

import com.fasterxml.jackson.databind.JsonNode;
import io.burt.jmespath.Expression;
import io.burt.jmespath.JmesPathException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.arachne.http.Response;
import org.arachne.item.Item;
import org.arachne.select.PythonRegex;
import org.arachne.select.Selection;
import org.arachne.url.Urls;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Extracts the items of one {@link ItemDefinition} from a page (HTML, or JSON for a {@code
 * selector: jmespath} block), with its regexes and expressions compiled once. Thread-safe: it holds
 * no state between pages.
 */
final class ItemExtractor {
    private static final Logger LOG = LoggerFactory.getLogger(ItemExtractor.class);

    private final ItemDefinition definition;
    private final @Nullable Pattern urlPattern;
    private final @Nullable Expression<JsonNode> jsonEach;
    private final List<FieldExtractor> fields = new ArrayList<>();

    /**
     * The items of one page, how many were dropped for a missing required field, and the stats keys
     * (under {@code spider/}) of what else went wrong, once per occurrence.
     */
    record Result(List<Item> items, int dropped, List<String> counts) {}

    ItemExtractor(ItemDefinition definition) {
        this.definition = definition;
        this.urlPattern =
                definition.urlPattern() == null
                        ? null
                        : PythonRegex.compile(definition.urlPattern());
        this.jsonEach =
                definition.selectorType() == SelectorType.JMESPATH && definition.each() != null
                        ? JmesPaths.compile(definition.each())
                        : null;
        for (FieldDefinition field : definition.fields()) {
            fields.add(new FieldExtractor(field));
        }
    }

    /** Whether the block has a {@code url_pattern}. */
    boolean hasUrlPattern() {
        return urlPattern != null;
    }

    /** Whether the block takes items from a page of this URL (its {@code url_pattern}, if any). */
    boolean matchesUrl(String url) {
        return urlPattern == null || urlPattern.matcher(url).find();
    }

    Result extract(Response response) {
        if (!matchesUrl(response.url())) {
            return new Result(List.of(), 0, List.of());
        }
        List<Item> items = new ArrayList<>();
        List<String> counts = new ArrayList<>();
        int dropped = 0;
        for (FieldExtractor.Scope scope : scopes(response, counts)) {
            dropped += add(scope, items, counts);
        }
        return new Result(items, dropped, counts);
    }

    /** One scope per item: each node (or JSON value) {@code each} selects, or the whole page. */
    private List<FieldExtractor.Scope> scopes(Response response, List<String> counts) {
        List<FieldExtractor.Scope> scopes = new ArrayList<>();
        if (definition.selectorType() == SelectorType.JMESPATH) {
            JsonNode document =
                    json(
                            response,
                            definition.name() == null
                                    ? "an item block"
                                    : "item block '" + definition.name() + "'",
                            counts);
            if (document == null) {
                return scopes;
            }
            if (jsonEach == null) {
                scopes.add(FieldExtractor.Scope.json(response, document, response::text));
                return scopes;
            }
            try {
                for (JsonNode element : JmesPaths.elements(jsonEach.search(document))) {
                    scopes.add(FieldExtractor.Scope.json(response, element, element::toString));
                }
            } catch (JmesPathException e) {
                counts.add(DeclarativeSpider.JMESPATH_FAILED + "each");
                LOG.debug(
                        "each '{}' failed on {}: {}",
                        definition.each(),
                        Urls.redacted(response.url()),
                        e.getMessage());
            }
            return scopes;
        }
        Selection document = response.page().xpath("/");
        String each = definition.each();
        if (each == null) {
            scopes.add(FieldExtractor.Scope.html(response, document, response::text));
        } else {
            for (Selection node :
                    FieldExtractor.select(document, definition.selectorType(), each).nodes()) {
                scopes.add(FieldExtractor.Scope.html(response, node, () -> node.get("")));
            }
        }
        return scopes;
    }

    /**
     * The response's JSON, or null (counted, logged at debug) when it is none: a JSON block or rule
     * on an HTML page gives nothing.
     */
    static @Nullable JsonNode json(Response response, String reader, List<String> counts) {
        try {
            return response.json();
        } catch (UncheckedIOException e) {
            counts.add(DeclarativeSpider.NOT_JSON);
            LOG.debug("{} reads JSON, but {}", reader, e.getMessage());
            return null;
        }
    }

    /**
     * Adds the item of one scope to {@code items}; returns 1 if it was dropped, else 0. A scope
     * where no field finds anything but constants and page values gives no item. The scope's source
     * text is rendered only for fields that need it (a regex without a selector).
     */
    private int add(FieldExtractor.Scope scope, List<Item> items, List<String> counts) {
        Map<String, @Nullable Object> values = new LinkedHashMap<>();
        boolean found = false;
        boolean extracted = false;
        for (FieldExtractor extractor : fields) {
            FieldDefinition field = extractor.definition();
            Object value = extractor.value(scope, counts);
            if (field.constant() == null && field.value() == null) {
                extracted = true;
                found |= value != null;
            }
            if (value == null && field.required()) {
                if (LOG.isDebugEnabled()) {
                    LOG.debug(
                            "dropped an item{} of {}: its required field {} is empty",
                            definition.name() == null
                                    ? ""
                                    : " of block '" + definition.name() + "'",
                            Urls.redacted(scope.response().url()),
                            field.name());
                }
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
