package org.arachne.spider.yaml;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.arachne.http.Response;
import org.arachne.select.Link;
import org.arachne.select.LinkExtractor;
import org.arachne.select.Page;
import org.arachne.select.Selection;

/**
 * One {@link RuleDefinition} ready to run: it finds the links of a page, each with the callback of
 * the page it leads to and the fields it carries there. Thread-safe: it holds no state between
 * pages.
 */
final class LinkRule {
    /** A link to follow, with the meta values it carries to the next page (none: empty). */
    record Found(String url, Map<String, Object> carried) {}

    private final RuleDefinition definition;
    private final LinkExtractor extractor;
    private final String callback;
    private final List<FieldExtractor> carry = new ArrayList<>();

    LinkRule(RuleDefinition definition, LinkExtractor extractor, String callback) {
        this.definition = definition;
        this.extractor = extractor;
        this.callback = callback;
        for (FieldDefinition field : definition.carry()) {
            carry.add(new FieldExtractor(field));
        }
    }

    /** The name of the callback of the pages this rule finds. */
    String callback() {
        return callback;
    }

    /**
     * The links of the page, in page order; the names of carried fields whose text was not of their
     * type are added to {@code unconverted}.
     */
    List<Found> find(Response response, List<String> unconverted) {
        Page page = response.page();
        Selection document = page.xpath("/");
        if (definition.each() == null) {
            Map<String, Object> carried =
                    carried(
                            new FieldExtractor.Scope(response, document, response::text),
                            unconverted);
            List<Found> found = new ArrayList<>();
            for (Link link : extractor.extract(page)) {
                found.add(new Found(link.url(), carried));
            }
            return found;
        }
        List<Found> found = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Selection node :
                FieldExtractor.select(document, definition.selectorType(), definition.each())
                        .nodes()) {
            List<Link> links = extractor.extract(page, node);
            if (links.isEmpty()) {
                continue;
            }
            Map<String, Object> carried =
                    carried(
                            new FieldExtractor.Scope(response, node, () -> node.get("")),
                            unconverted);
            for (Link link : links) {
                // the extractor makes links unique within one element; the rule, across them
                if (!definition.unique() || seen.add(link.url())) {
                    found.add(new Found(link.url(), carried));
                }
            }
        }
        return found;
    }

    /** The carried fields that found a value (or have a default), by name, in order. */
    private Map<String, Object> carried(FieldExtractor.Scope scope, List<String> unconverted) {
        if (carry.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> carried = new LinkedHashMap<>();
        for (FieldExtractor field : carry) {
            Object value = field.value(scope, unconverted);
            if (value == null) {
                value = field.definition().defaultValue();
            }
            if (value != null) {
                carried.put(field.definition().name(), value);
            }
        }
        return carried;
    }
}
