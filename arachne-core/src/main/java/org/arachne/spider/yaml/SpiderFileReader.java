package org.arachne.spider.yaml;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.arachne.engine.Setting;
import org.arachne.http.Request;
import org.arachne.internal.Suggestions;
import org.arachne.item.export.FeedFormat;
import org.arachne.select.LinkExtractor;
import org.arachne.spider.Sitemaps;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a spider file through SnakeYAML's node tree, which keeps the line and column of every
 * value, and collects every problem it finds instead of stopping at the first. One instance reads
 * one file.
 */
final class SpiderFileReader {
    private static final List<String> TOP_KEYS =
            List.of(
                    "name",
                    "arguments",
                    "start_urls",
                    "sitemap_urls",
                    "sitemap_rules",
                    "sitemap_follow",
                    "sitemap_alternate_links",
                    "allowed_domains",
                    "settings",
                    "rules",
                    "items",
                    "output");
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
                    "process_value");
    private static final List<String> PROCESS_VALUE_KEYS = List.of("regex", "replacement");
    private static final List<String> ITEM_KEYS =
            List.of("name", "each", "selector", "url_pattern", "fields");
    private static final List<String> SITEMAP_RULE_KEYS = List.of("regex", "callback");
    private static final Pattern DOMAIN = Pattern.compile("[\\p{L}\\p{N}._-]+|\\[[0-9A-Fa-f:.]+]");

    private final YamlNodes nodes;
    private final ExpressionChecks checks;
    private final SpiderArguments arguments;
    private final FieldReader fieldReader;

    /** Item block names seen so far, with where each was first given. */
    private final Map<String, Node> itemNames = new LinkedHashMap<>();

    private SpiderFileReader(String file, Map<String, String> arguments) {
        this.nodes = new YamlNodes(file);
        this.checks = new ExpressionChecks(nodes);
        this.arguments = new SpiderArguments(nodes, arguments);
        this.fieldReader = new FieldReader(nodes, checks, this.arguments);
    }

    /**
     * The problems of a file read with these arguments, sorted by position; empty when it is a
     * valid spider.
     */
    static List<Problem> check(String yaml, String file, Map<String, String> arguments) {
        SpiderFileReader reader = new SpiderFileReader(file, arguments);
        reader.spider(yaml);
        return reader.nodes.sorted();
    }

    /**
     * @throws SpiderFileException with every problem, if there is any
     */
    static SpiderDefinition read(String yaml, String file, Map<String, String> arguments) {
        SpiderFileReader reader = new SpiderFileReader(file, arguments);
        SpiderDefinition definition = reader.spider(yaml);
        if (definition == null || reader.nodes.count() > 0) {
            throw new SpiderFileException(reader.nodes.sorted());
        }
        return definition;
    }

    private @Nullable SpiderDefinition spider(String yaml) {
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(yaml));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String what = e.getProblem() != null ? e.getProblem() : String.valueOf(e.getMessage());
            String context = e.getContext() != null ? " (" + e.getContext() + ")" : "";
            nodes.add(mark, "", "YAML syntax error: " + what + context);
            return null;
        } catch (YAMLException e) {
            nodes.addAtStart("cannot read YAML: " + e.getMessage());
            return null;
        }
        if (root == null) {
            nodes.addAtStart(
                    "the file is empty; a spider needs name and start_urls or sitemap_urls");
            return null;
        }
        Map<String, Node> top = nodes.mapping(root, "", TOP_KEYS);
        if (top == null) {
            return null;
        }
        arguments.read(top.get("arguments"));
        String name = requiredString(top, root, "name");
        List<String> startUrls = urls(top.get("start_urls"), "start_urls");
        List<String> sitemapUrls = urls(top.get("sitemap_urls"), "sitemap_urls");
        if (!top.containsKey("start_urls") && !top.containsKey("sitemap_urls")) {
            nodes.add(
                    root,
                    "start_urls",
                    "missing; every spider needs start_urls or sitemap_urls (or both)");
        }
        List<String> domains = domains(top.get("allowed_domains"), "allowed_domains");
        Map<String, Object> settings = settings(top.get("settings"));
        // item blocks first: rules and sitemap rules name them
        List<ItemDefinition> items = new ArrayList<>();
        for (YamlNodes.Entry e : nodes.sequence(top.get("items"), "items")) {
            ItemDefinition item = item(e.value(), e.key());
            if (item != null) {
                items.add(item);
            }
        }
        List<RuleDefinition> rules = new ArrayList<>();
        for (YamlNodes.Entry e : nodes.sequence(top.get("rules"), "rules")) {
            RuleDefinition rule = rule(e.value(), e.key());
            if (rule != null) {
                rules.add(rule);
            }
        }
        Sitemaps sitemaps = sitemaps(top, sitemapUrls);
        String output = output(top.get("output"));
        if (nodes.count() > 0 || name == null || sitemaps == null) {
            return null;
        }
        return new SpiderDefinition(
                name, startUrls, sitemaps, domains, settings, rules, items, output);
    }

    /** The sitemap keys; null after a problem. Item blocks must have been read (for callbacks). */
    private @Nullable Sitemaps sitemaps(Map<String, Node> top, List<String> urls) {
        int before = nodes.count();
        Sitemaps.Builder builder = Sitemaps.builder().urls(urls);
        for (YamlNodes.Entry e : nodes.sequence(top.get("sitemap_rules"), "sitemap_rules")) {
            Map<String, Node> keys = nodes.mapping(e.value(), e.key(), SITEMAP_RULE_KEYS);
            if (keys == null) {
                continue;
            }
            String regex = requiredString(keys, e.value(), e.key(), "regex", "a regex");
            if (regex != null && !checks.regex(keys.get("regex"), e.key() + ".regex", regex)) {
                regex = null;
            }
            String callback =
                    requiredString(
                            keys,
                            e.value(),
                            e.key(),
                            "callback",
                            "parse or the name of an item block");
            if (callback != null && !callback.equals("parse") && !itemNames.containsKey(callback)) {
                nodes.add(
                        keys.get("callback"),
                        e.key() + ".callback",
                        "unknown callback '"
                                + callback
                                + "'; give parse or the name of an item block"
                                + Suggestions.hint(callback, callbackNames()));
                callback = null;
            }
            if (regex != null && callback != null) {
                builder.rule(regex, callback);
            }
        }
        builder.follow(regexes(top.get("sitemap_follow"), "sitemap_follow"));
        Node alternates = top.get("sitemap_alternate_links");
        if (alternates != null) {
            Boolean enabled = nodes.bool(alternates, "sitemap_alternate_links");
            builder.alternateLinks(Boolean.TRUE.equals(enabled));
        }
        return nodes.count() > before ? null : builder.build();
    }

    private List<String> callbackNames() {
        List<String> names = new ArrayList<>(List.of("parse"));
        names.addAll(itemNames.keySet());
        return names;
    }

    private @Nullable String requiredString(
            Map<String, Node> map, Node parent, String path, String key, String what) {
        Node node = map.get(key);
        if (node == null) {
            nodes.add(parent, path + "." + key, "missing; give " + what);
            return null;
        }
        String value = nodes.string(node, path + "." + key);
        if (value != null && value.isBlank()) {
            nodes.add(node, path + "." + key, "must not be empty; give " + what);
            return null;
        }
        return value;
    }

    private @Nullable String requiredString(Map<String, Node> map, Node parent, String key) {
        Node node = map.get(key);
        if (node == null) {
            nodes.add(parent, key, "missing; every spider needs a " + key);
            return null;
        }
        String value = nodes.string(node, key);
        if (value != null && value.isBlank()) {
            nodes.add(node, key, "must not be empty");
            return null;
        }
        return value;
    }

    /**
     * A string with the arguments substituted for their {@code ${name}}; null when it is no string
     * or names an argument without a value (either reported already).
     */
    private @Nullable String substituted(Node node, String path) {
        String value = nodes.string(node, path);
        return value == null ? null : arguments.substitute(node, path, value);
    }

    /** A list of absolute http(s) URLs; empty when the key is absent. */
    private List<String> urls(@Nullable Node node, String path) {
        if (node == null) {
            return List.of();
        }
        List<String> urls = new ArrayList<>();
        List<YamlNodes.Entry> entries = nodes.sequence(node, path);
        if (entries.isEmpty() && node instanceof SequenceNode) {
            nodes.add(node, path, "is empty; give at least one URL");
        }
        for (YamlNodes.Entry e : entries) {
            String url = substituted(e.value(), e.key());
            if (url != null) {
                try {
                    Request.get(url);
                    urls.add(url);
                } catch (IllegalArgumentException ex) {
                    nodes.add(e.value(), e.key(), String.valueOf(ex.getMessage()));
                }
            }
        }
        return urls;
    }

    private List<String> domains(@Nullable Node node, String path) {
        List<String> domains = new ArrayList<>();
        for (YamlNodes.Entry e : nodes.sequence(node, path)) {
            String domain = substituted(e.value(), e.key());
            if (domain == null) {
                continue;
            }
            if (DOMAIN.matcher(domain).matches()) {
                domains.add(domain);
            } else {
                nodes.add(
                        e.value(),
                        e.key(),
                        "'"
                                + domain
                                + "' is not a domain; write the host only, such as example.com");
            }
        }
        return domains;
    }

    private Map<String, Object> settings(@Nullable Node node) {
        Map<String, Object> settings = new LinkedHashMap<>();
        if (node == null) {
            return settings;
        }
        List<YamlNodes.Entry> entries = nodes.entries(node, "settings");
        Map<String, String> writtenAs = new HashMap<>();
        for (YamlNodes.Entry e : entries) {
            String written = e.key().substring("settings.".length());
            String key = SettingValues.key(written);
            Setting<?> setting = Setting.ALL.get(key);
            if (setting == null) {
                nodes.add(
                        e.keyNode(),
                        e.key(),
                        "unknown setting '"
                                + written
                                + "'"
                                + Suggestions.hint(key, Setting.ALL.keySet()));
                continue;
            }
            String before = writtenAs.putIfAbsent(key, written);
            if (before != null) {
                nodes.add(
                        e.keyNode(),
                        e.key(),
                        "'" + key + "' is already set above, as '" + before + "'");
                continue;
            }
            Object value = settingValue(e.value(), e.key());
            if (value == null) {
                continue;
            }
            String problem = SettingValues.problem(setting, value);
            if (problem != null) {
                nodes.add(e.value(), e.key(), problem);
            } else {
                settings.put(key, value);
            }
        }
        return settings;
    }

    /**
     * A string, a list of strings or a map (of strings or maps), as written; null after a problem.
     */
    private @Nullable Object settingValue(Node node, String path) {
        if (node instanceof ScalarNode) {
            return substituted(node, path);
        }
        if (node instanceof SequenceNode) {
            List<String> list = new ArrayList<>();
            for (YamlNodes.Entry e : nodes.sequence(node, path)) {
                String s = substituted(e.value(), e.key());
                if (s == null) {
                    return null;
                }
                list.add(s);
            }
            return List.copyOf(list);
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (YamlNodes.Entry e : nodes.entries(node, path)) {
            // maps of maps (download_slots) nest; anything else is a string
            Object value =
                    e.value() instanceof MappingNode
                            ? settingValue(e.value(), e.key())
                            : substituted(e.value(), e.key());
            if (value == null) {
                return null;
            }
            map.put(e.key().substring(path.length() + 1), value);
        }
        return map;
    }

    private @Nullable RuleDefinition rule(Node node, String path) {
        Map<String, Node> keys = nodes.mapping(node, path, RULE_KEYS);
        if (keys == null) {
            return null;
        }
        String callback = null;
        Node callbackNode = keys.get("callback");
        if (callbackNode != null) {
            callback = requiredString(keys, node, path, "callback", "the name of an item block");
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
        List<String> allow = regexes(keys.get("allow"), path + ".allow");
        List<String> deny = regexes(keys.get("deny"), path + ".deny");
        List<String> allowDomains = domains(keys.get("allow_domains"), path + ".allow_domains");
        List<String> denyDomains = domains(keys.get("deny_domains"), path + ".deny_domains");
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
        if (follow == null
                || unique == null
                || canonicalize == null
                || (callbackNode != null && callback == null)) {
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
                processValue);
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
        String regex = requiredString(keys, node, path, "regex", "a regex");
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
            YamlNodes.Entry e, java.util.function.Consumer<LinkExtractor.Builder> option) {
        try {
            option.accept(LinkExtractor.builder());
            return true;
        } catch (IllegalArgumentException ex) {
            String message = String.valueOf(ex.getMessage());
            nodes.add(e.value(), e.key(), message.replaceFirst("^restrict(Xpaths|Css): ", ""));
            return false;
        }
    }

    private List<String> regexes(@Nullable Node node, String path) {
        List<String> regexes = new ArrayList<>();
        for (YamlNodes.Entry e : nodes.sequence(node, path)) {
            String regex = nodes.string(e.value(), e.key());
            if (regex != null && checks.regex(e.value(), e.key(), regex)) {
                regexes.add(regex);
            }
        }
        return regexes;
    }

    private @Nullable ItemDefinition item(Node node, String path) {
        Map<String, Node> keys = nodes.mapping(node, path, ITEM_KEYS);
        if (keys == null) {
            return null;
        }
        String itemName = itemName(keys.get("name"), path + ".name");
        @Nullable SelectorType type = SelectorType.XPATH;
        Node selectorNode = keys.get("selector");
        if (selectorNode != null) {
            String name = nodes.string(selectorNode, path + ".selector");
            type = name == null ? null : selectorType(selectorNode, path + ".selector", name);
            if (type == null) {
                return null;
            }
        }
        String each = null;
        Node eachNode = keys.get("each");
        if (eachNode != null) {
            each = nodes.string(eachNode, path + ".each");
            if (each != null && !checks.selector(type, eachNode, path + ".each", each)) {
                each = null;
            }
        }
        String urlPattern = null;
        Node patternNode = keys.get("url_pattern");
        if (patternNode != null) {
            urlPattern = nodes.string(patternNode, path + ".url_pattern");
            if (urlPattern != null
                    && !checks.regex(patternNode, path + ".url_pattern", urlPattern)) {
                urlPattern = null;
            }
        }
        Node fieldsNode = keys.get("fields");
        if (fieldsNode == null) {
            nodes.add(node, path + ".fields", "missing; an item needs fields");
            return null;
        }
        List<FieldDefinition> fields = new ArrayList<>();
        List<YamlNodes.Entry> entries = nodes.entries(fieldsNode, path + ".fields");
        if (entries.isEmpty() && fieldsNode instanceof MappingNode) {
            nodes.add(fieldsNode, path + ".fields", "is empty; an item needs at least one field");
        }
        for (YamlNodes.Entry e : entries) {
            String name = e.key().substring(path.length() + ".fields.".length());
            FieldDefinition field = fieldReader.field(name, e.value(), e.key(), type);
            if (field != null) {
                fields.add(field);
            }
        }
        if (fields.isEmpty()) {
            return null;
        }
        return new ItemDefinition(itemName, each, type, urlPattern, fields);
    }

    /** An item block's name, recorded for sitemap_rules callbacks; null if absent or bad. */
    private @Nullable String itemName(@Nullable Node node, String path) {
        if (node == null) {
            return null;
        }
        String name = nodes.string(node, path);
        if (name == null) {
            return null;
        }
        if (!ItemDefinition.isAllowedName(name)) {
            nodes.add(
                    node,
                    path,
                    "'"
                            + name
                            + "' cannot name an item block; parse, parseLeaf and names starting"
                            + " with parse: are the spider's own callbacks");
            return null;
        }
        Node first = itemNames.putIfAbsent(name, node);
        if (first != null) {
            nodes.add(
                    node,
                    path,
                    "item block name '"
                            + name
                            + "' already given on line "
                            + (first.getStartMark().getLine() + 1));
            return null;
        }
        return name;
    }

    private @Nullable SelectorType selectorType(Node node, String path, String name) {
        for (SelectorType t : SelectorType.values()) {
            if (t.yamlName().equals(name)) {
                return t;
            }
        }
        nodes.add(node, path, "unknown selector type '" + name + "'; expected xpath or css");
        return null;
    }

    private @Nullable String output(@Nullable Node node) {
        if (node == null) {
            return null;
        }
        String output = substituted(node, "output");
        if (output == null) {
            return null;
        }
        try {
            FeedFormat.fromPath(Path.of(output));
            return output;
        } catch (IllegalArgumentException e) {
            nodes.add(node, "output", String.valueOf(e.getMessage()));
            return null;
        }
    }
}
