package org.arachne.spider.yaml;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.arachne.frontier.PageRecord;
import org.arachne.http.HttpClient5Downloader;
import org.arachne.internal.Suggestions;
import org.arachne.middleware.HttpErrorFilter;
import org.arachne.middleware.RedirectPolicy;
import org.arachne.middleware.RetryPolicy;
import org.arachne.middleware.RobotsStage;
import org.arachne.select.LinkExtractor;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads the {@code rules} of a spider file, Scrapy's link extractor options with a callback and the
 * fields a rule carries to the next page, and reports every problem at its node. One instance per
 * file; the item blocks must have been read first (a rule's callback names one).
 */
final class RuleReader {
    private static final List<String> RULE_KEYS =
            List.of(
                    "callback",
                    "follow",
                    "allow",
                    "deny",
                    "allow_domains",
                    "deny_domains",
                    "restrict_xpaths",
                    "restrict_css",
                    "tags",
                    "attrs",
                    "deny_extensions",
                    "unique",
                    "canonicalize",
                    "process_value",
                    "each",
                    "selector",
                    "carry",
                    "links");
    private static final List<String> HTML_ONLY_KEYS =
            List.of("restrict_xpaths", "restrict_css", "tags", "attrs", "process_value");
    private static final List<String> PROCESS_VALUE_KEYS = List.of("regex", "replacement");

    /** The meta keys the engine reads: a carried field of such a name would change a request. */
    static final Set<String> ENGINE_META =
            Set.of(
                    HttpErrorFilter.HANDLE_LIST,
                    HttpErrorFilter.HANDLE_ALL,
                    RobotsStage.ORIGIN_META,
                    RetryPolicy.RETRY_TIMES,
                    RedirectPolicy.REDIRECT_TIMES,
                    RedirectPolicy.REDIRECT_URLS,
                    HttpClient5Downloader.PROXY_META,
                    HttpClient5Downloader.MAXSIZE_META,
                    HttpClient5Downloader.TRUNCATE_META,
                    PageRecord.META);

    private final YamlNodes nodes;
    private final SpiderValues values;
    private final ExpressionChecks checks;
    private final FieldReader fieldReader;
    private final Map<String, Node> itemNames;

    /**
     * @param itemNames the names of the file's item blocks, with where each was given
     */
    RuleReader(
            YamlNodes nodes,
            SpiderValues values,
            ExpressionChecks checks,
            FieldReader fieldReader,
            Map<String, Node> itemNames) {
        this.nodes = nodes;
        this.values = values;
        this.checks = checks;
        this.fieldReader = fieldReader;
        this.itemNames = itemNames;
    }

    /** The rule at {@code node}; null after a problem. */
    @Nullable RuleDefinition rule(Node node, String path) {
        int before = nodes.count();
        Map<String, Node> keys = nodes.mapping(node, path, RULE_KEYS);
        if (keys == null) {
            return null;
        }
        String callback = null;
        Node callbackNode = keys.get("callback");
        if (callbackNode != null) {
            callback =
                    values.requiredString(
                            keys, node, path, "callback", "the name of an item block");
            if (callback != null && !itemNames.containsKey(callback)) {
                nodes.add(
                        callbackNode,
                        path + ".callback",
                        "unknown item block '"
                                + callback
                                + "'; a rule's callback names the item block its pages go to"
                                + (itemNames.isEmpty()
                                        ? " (give that block a name:)"
                                        : Suggestions.hint(callback, itemNames.keySet())));
                callback = null;
            }
        }
        // Scrapy's Rule: follow defaults to false when a callback is given, else to true
        Boolean follow =
                keys.containsKey("follow")
                        ? nodes.bool(keys.get("follow"), path + ".follow")
                        : Boolean.valueOf(callbackNode == null);
        List<String> allow = values.regexes(keys.get("allow"), path + ".allow");
        List<String> deny = values.regexes(keys.get("deny"), path + ".deny");
        List<String> allowDomains =
                values.domains(keys.get("allow_domains"), path + ".allow_domains");
        List<String> denyDomains = values.domains(keys.get("deny_domains"), path + ".deny_domains");
        List<String> xpaths = new ArrayList<>();
        for (YamlNodes.Entry e :
                nodes.sequence(keys.get("restrict_xpaths"), path + ".restrict_xpaths")) {
            String xpath = nodes.string(e.value(), e.key());
            if (xpath != null && linkExtractorAccepts(e, b -> b.restrictXpaths(xpath))) {
                xpaths.add(xpath);
            }
        }
        List<String> css = new ArrayList<>();
        for (YamlNodes.Entry e : nodes.sequence(keys.get("restrict_css"), path + ".restrict_css")) {
            String query = nodes.string(e.value(), e.key());
            if (query != null && linkExtractorAccepts(e, b -> b.restrictCss(query))) {
                css.add(query);
            }
        }
        List<String> tags = names(keys.get("tags"), path + ".tags", "a tag name or *");
        List<String> attrs = names(keys.get("attrs"), path + ".attrs", "an attribute name or *");
        List<String> denyExtensions =
                keys.containsKey("deny_extensions")
                        ? names(keys.get("deny_extensions"), path + ".deny_extensions", null)
                        : null;
        Boolean unique =
                keys.containsKey("unique")
                        ? nodes.bool(keys.get("unique"), path + ".unique")
                        : Boolean.TRUE;
        Boolean canonicalize =
                keys.containsKey("canonicalize")
                        ? nodes.bool(keys.get("canonicalize"), path + ".canonicalize")
                        : Boolean.FALSE;
        ValueReplacement processValue = null;
        Node processNode = keys.get("process_value");
        if (processNode != null) {
            processValue = valueReplacement(processNode, path + ".process_value");
            if (processValue == null) {
                return null;
            }
        }
        SelectorType selectorType = SelectorType.XPATH;
        Node selectorNode = keys.get("selector");
        if (selectorNode != null) {
            String name = nodes.string(selectorNode, path + ".selector");
            selectorType =
                    name == null
                            ? null
                            : values.selectorType(selectorNode, path + ".selector", name);
            if (selectorType == null) {
                return null;
            }
        }
        String each = null;
        Node eachNode = keys.get("each");
        if (eachNode != null) {
            each = nodes.string(eachNode, path + ".each");
            if (each != null && !checks.selector(selectorType, eachNode, path + ".each", each)) {
                each = null;
            }
            if (!xpaths.isEmpty() || !css.isEmpty()) {
                nodes.add(
                        eachNode,
                        path + ".each",
                        "each and restrict_xpaths/restrict_css both say where links are taken"
                                + " from; give one (each also says where carry looks)");
            }
        }
        List<FieldDefinition> carry = carry(keys.get("carry"), path + ".carry", selectorType);
        String links = links(keys, node, path, selectorType);
        if (follow == null
                || unique == null
                || canonicalize == null
                || (callbackNode != null && callback == null)
                || (eachNode != null && each == null)
                || nodes.count() > before) {
            return null;
        }
        return new RuleDefinition(
                follow,
                callback,
                allow,
                deny,
                allowDomains,
                denyDomains,
                xpaths,
                css,
                tags,
                attrs,
                denyExtensions,
                unique,
                canonicalize,
                processValue,
                each,
                selectorType,
                carry,
                links);
    }

    /**
     * The {@code links:} JMESPath of a rule that reads JSON, checked, with the HTML link options
     * refused beside it; null for an HTML rule (which must have none) or after a problem.
     */
    private @Nullable String links(
            Map<String, Node> keys, Node node, String path, SelectorType selectorType) {
        Node linksNode = keys.get("links");
        if (selectorType != SelectorType.JMESPATH) {
            if (linksNode != null) {
                nodes.add(
                        linksNode,
                        path + ".links",
                        "links goes with selector: jmespath, for JSON pages; an HTML rule finds"
                                + " its links with allow, restrict_xpaths, tags and attrs");
            }
            return null;
        }
        for (String key : HTML_ONLY_KEYS) {
            if (keys.containsKey(key)) {
                nodes.add(
                        keys.get(key),
                        path + "." + key,
                        key
                                + " is for HTML links; this rule reads JSON (selector: jmespath)"
                                + " and takes its links from links:");
            }
        }
        if (linksNode == null) {
            nodes.add(
                    node,
                    path + ".links",
                    "missing; a rule with selector: jmespath finds its links with links:, the"
                            + " JMESPath of their URLs (such as next or items[].url)");
            return null;
        }
        String links = nodes.string(linksNode, path + ".links");
        if (links == null
                || !checks.selector(SelectorType.JMESPATH, linksNode, path + ".links", links)) {
            return null;
        }
        return links;
    }

    /**
     * The {@code carry} fields: item fields evaluated where each link is found, whose names become
     * meta keys; the valid ones, every problem reported.
     */
    private List<FieldDefinition> carry(@Nullable Node node, String path, SelectorType type) {
        List<FieldDefinition> carry = new ArrayList<>();
        if (node == null) {
            return carry;
        }
        for (YamlNodes.Entry e : nodes.entries(node, path)) {
            String name = e.key().substring(path.length() + 1);
            if (ENGINE_META.contains(name)) {
                nodes.add(
                        e.keyNode(),
                        e.key(),
                        "'"
                                + name
                                + "' is a meta key the crawl itself reads; carry the value under"
                                + " another name");
                continue;
            }
            FieldDefinition field = fieldReader.field(name, e.value(), e.key(), type);
            if (field != null && field.required()) {
                nodes.add(
                        e.value(),
                        e.key() + ".required",
                        "a carried field cannot be required; make the next page's field that"
                                + " reads it required");
            } else if (field != null) {
                carry.add(field);
            }
        }
        return carry;
    }

    /**
     * A list of names (tags, attributes, extensions); {@code what} names one for the message when
     * the list may not be empty, null when it may (deny_extensions: [] follows every extension).
     */
    private List<String> names(@Nullable Node node, String path, @Nullable String what) {
        List<String> names = new ArrayList<>();
        List<YamlNodes.Entry> entries = nodes.sequence(node, path);
        if (what != null && entries.isEmpty() && node instanceof SequenceNode) {
            nodes.add(node, path, "is empty; give at least one " + what);
        }
        for (YamlNodes.Entry e : entries) {
            String name = nodes.string(e.value(), e.key());
            if (name == null) {
                continue;
            }
            if (name.isBlank()) {
                nodes.add(
                        e.value(),
                        e.key(),
                        "must not be empty; give " + (what == null ? "an extension" : what));
            } else {
                names.add(name.strip());
            }
        }
        return names;
    }

    /** A {@code process_value: {regex, replacement}}, both checked; null when invalid. */
    private @Nullable ValueReplacement valueReplacement(Node node, String path) {
        int before = nodes.count();
        Map<String, Node> keys = nodes.mapping(node, path, PROCESS_VALUE_KEYS);
        if (keys == null || nodes.count() > before) {
            return null; // a misspelt key: its own problem says it all
        }
        String regex = values.requiredString(keys, node, path, "regex", "a regex");
        Node replacementNode = keys.get("replacement");
        if (replacementNode == null) {
            nodes.add(
                    node,
                    path + ".replacement",
                    "missing; give what each match becomes ($1: group 1)");
            return null;
        }
        String replacement = nodes.string(replacementNode, path + ".replacement");
        if (regex == null
                || replacement == null
                || !checks.regex(keys.get("regex"), path + ".regex", regex)) {
            return null;
        }
        String problem = ValueReplacement.problem(Pattern.compile(regex), replacement);
        if (problem != null) {
            nodes.add(replacementNode, path + ".replacement", problem);
            return null;
        }
        return new ValueReplacement(regex, replacement);
    }

    private boolean linkExtractorAccepts(
            YamlNodes.Entry e, Consumer<LinkExtractor.Builder> option) {
        try {
            option.accept(LinkExtractor.builder());
            return true;
        } catch (IllegalArgumentException ex) {
            String message = String.valueOf(ex.getMessage());
            nodes.add(e.value(), e.key(), message.replaceFirst("^restrict(Xpaths|Css): ", ""));
            return false;
        }
    }
}
