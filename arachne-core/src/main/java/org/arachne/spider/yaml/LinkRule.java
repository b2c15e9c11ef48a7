package org.arachne.spider.yaml;

import com.fasterxml.jackson.databind.JsonNode;
import io.burt.jmespath.Expression;
import io.burt.jmespath.JmesPathException;
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
import org.arachne.url.Urls;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link RuleDefinition} ready to run: it finds the links of a page (in its HTML with the link
 * extractor, or in its JSON with {@code links:}), each with the fields it carries to the page it
 * leads to. Thread-safe: it holds no state between pages.
 */
final class LinkRule {
    private static final Logger LOG = LoggerFactory.getLogger(LinkRule.class);

    /**
     * A link to follow, with the meta values it carries to the next page (none: empty). A JSON link
     * that is no crawlable URL is kept as written: {@code Output.follow} counts and skips it, as it
     * does every bad link.
     */
    record Found(String url, Map<String, Object> carried) {}

    private final RuleDefinition definition;
    private final LinkExtractor extractor;
    private final String callback;
    private final @Nullable Expression<JsonNode> jsonEach;
    private final @Nullable Expression<JsonNode> jsonLinks;
    private final List<FieldExtractor> carry = new ArrayList<>();

    LinkRule(RuleDefinition definition, LinkExtractor extractor, String callback) {
        this.definition = definition;
        this.extractor = extractor;
        this.callback = callback;
        boolean json = definition.links() != null;
        this.jsonEach =
                json && definition.each() != null ? JmesPaths.compile(definition.each()) : null;
        this.jsonLinks = json ? JmesPaths.compile(definition.links()) : null;
        for (FieldDefinition field : definition.carry()) {
            carry.add(new FieldExtractor(field));
        }
    }

    /** The name of the callback of the pages this rule finds. */
    String callback() {
        return callback;
    }

    /**
     * Whether the rule sends pages of the URLs it accepts to an item block of its own: it has a
     * callback and {@code allow} patterns (without them it takes any link).
     */
    boolean routes() {
        return definition.callback() != null && !definition.allow().isEmpty();
    }

    /** Whether a link to this absolute URL passes the rule's filters. */
    boolean accepts(String url) {
        return extractor.accepts(url);
    }

    /**
     * The links of the page, in page order, each once unless the rule's {@code unique} is false;
     * the stats keys of what went wrong (a carried text not of its field's type, a JMESPath that
     * failed, a page that is no JSON) are added to {@code counts}.
     */
    List<Found> find(Response response, List<String> counts) {
        return jsonLinks != null
                ? findInJson(response, jsonLinks, counts)
                : findInHtml(response, counts);
    }

    private List<Found> findInHtml(Response response, List<String> counts) {
        Page page = response.page();
        Selection document = page.xpath("/");
        List<Found> found = new ArrayList<>();
        if (definition.each() == null) {
            Map<String, Object> carried =
                    carried(FieldExtractor.Scope.html(response, document, response::text), counts);
            for (Link link : extractor.extract(page)) {
                found.add(new Found(link.url(), carried));
            }
            return found;
        }
        Set<String> seen = new HashSet<>();
        for (Selection node :
                FieldExtractor.select(document, definition.selectorType(), definition.each())
                        .nodes()) {
            List<Link> links = extractor.extract(page, node);
            if (links.isEmpty()) {
                continue;
            }
            Map<String, Object> carried =
                    carried(FieldExtractor.Scope.html(response, node, () -> node.get("")), counts);
            for (Link link : links) {
                // the extractor makes links unique within one element; the rule, across them
                if (!definition.unique() || seen.add(link.url())) {
                    found.add(new Found(link.url(), carried));
                }
            }
        }
        return found;
    }

    private List<Found> findInJson(
            Response response, Expression<JsonNode> links, List<String> counts) {
        JsonNode document = ItemExtractor.json(response, "a rule", counts);
        if (document == null) {
            return List.of();
        }
        List<Found> found = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try {
            List<JsonNode> scopes =
                    jsonEach == null
                            ? List.of(document)
                            : JmesPaths.elements(jsonEach.search(document));
            for (JsonNode scope : scopes) {
                List<String> hrefs = JmesPaths.texts(links.search(scope));
                if (hrefs.isEmpty()) {
                    continue;
                }
                Map<String, Object> carried =
                        carried(
                                FieldExtractor.Scope.json(
                                        response,
                                        scope,
                                        scope == document ? response::text : scope::toString),
                                counts);
                for (String href : hrefs) {
                    String url = jsonLink(response, href);
                    if (url != null && (!definition.unique() || seen.add(url))) {
                        found.add(new Found(url, carried));
                    }
                }
            }
        } catch (JmesPathException e) {
            counts.add(DeclarativeSpider.JMESPATH_FAILED + "links");
            LOG.debug(
                    "rule links '{}' failed on {}: {}",
                    definition.links(),
                    Urls.redacted(response.url()),
                    e.getMessage());
        }
        return found;
    }

    /**
     * A URL found in JSON, resolved against the page and filtered as the rule's HTML links would
     * be; null when a filter refuses it. One that cannot be resolved, or is not http(s), is kept as
     * it is, for {@code Output.follow} to count and skip.
     */
    private @Nullable String jsonLink(Response response, String href) {
        String url;
        try {
            url = response.urljoin(href);
        } catch (IllegalArgumentException e) {
            return href;
        }
        if (!Urls.isHttp(url)) {
            return href;
        }
        if (!extractor.accepts(url)) {
            return null;
        }
        return definition.canonicalize() ? Urls.canonicalize(url) : url;
    }

    /** The carried fields that found a value (or have a default), by name, in order. */
    private Map<String, Object> carried(FieldExtractor.Scope scope, List<String> counts) {
        if (carry.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> carried = new LinkedHashMap<>();
        for (FieldExtractor field : carry) {
            Object value = field.value(scope, counts);
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
