package org.arachne.spider.yaml;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.arachne.engine.Setting;
import org.arachne.http.Request;
import org.arachne.internal.Suggestions;
import org.arachne.spider.Sitemaps;
import org.arachne.spider.contract.SpiderContract;
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
                    "start_requests",
                    "login",
                    "sitemap_urls",
                    "sitemap_rules",
                    "sitemap_follow",
                    "sitemap_alternate_links",
                    "allowed_domains",
                    "settings",
                    "rules",
                    "items",
                    "output",
                    "contracts",
                    "pipelines");
    private static final List<String> ITEM_KEYS =
            List.of("name", "each", "selector", "url_pattern", "fields", "contracts");
    private static final List<String> OUTPUT_KEYS = List.of("path", "overwrite");
    private static final Pattern CLASS_NAME =
            Pattern.compile(
                    "[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*"
                            + "(\\.[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)*");
    private static final List<String> SITEMAP_RULE_KEYS = List.of("regex", "callback");

    private final String file;
    private final YamlNodes nodes;
    private final ExpressionChecks checks;
    private final SpiderArguments arguments;
    private final FieldReader fieldReader;
    private final SpiderValues values;
    private final RuleReader ruleReader;
    private final ContractReader contractReader;
    private final StartRequestReader startRequestReader;
    private final LoginReader loginReader;

    /** Item block names seen so far, with where each was first given. */
    private final Map<String, Node> itemNames = new LinkedHashMap<>();

    private SpiderFileReader(
            String file, Map<String, String> arguments, Map<String, String> environment) {
        this.file = file;
        this.nodes = new YamlNodes(file);
        this.checks = new ExpressionChecks(nodes);
        this.arguments = new SpiderArguments(nodes, arguments);
        this.fieldReader = new FieldReader(nodes, checks, this.arguments);
        this.values = new SpiderValues(nodes, checks, this.arguments);
        this.ruleReader = new RuleReader(nodes, values, checks, fieldReader, itemNames);
        this.contractReader = new ContractReader(nodes, values, checks);
        this.startRequestReader = new StartRequestReader(nodes, values, itemNames);
        this.loginReader = new LoginReader(nodes, values, checks, environment);
    }

    /**
     * The problems of a file read with these arguments, sorted by position; empty when it is a
     * valid spider.
     */
    static List<Problem> check(
            String yaml,
            String file,
            Map<String, String> arguments,
            Map<String, String> environment) {
        SpiderFileReader reader = new SpiderFileReader(file, arguments, environment);
        reader.spider(yaml);
        return reader.nodes.sorted();
    }

    /**
     * The warnings of a file read with these arguments (selectors that are valid but look like
     * another language), sorted by position; empty when there is none.
     */
    static List<Problem> warnings(String yaml, String file, Map<String, String> arguments) {
        SpiderFileReader reader = new SpiderFileReader(file, arguments, System.getenv());
        reader.spider(yaml);
        return reader.nodes.sortedWarnings();
    }

    /**
     * @throws SpiderFileException with every problem, if there is any
     */
    static SpiderDefinition read(
            String yaml,
            String file,
            Map<String, String> arguments,
            Map<String, String> environment) {
        SpiderFileReader reader = new SpiderFileReader(file, arguments, environment);
        SpiderDefinition definition = reader.spider(yaml);
        if (definition == null || reader.nodes.count() > 0) {
            throw new SpiderFileException(reader.nodes.sorted());
        }
        return definition;
    }

    /**
     * The contracts of a file read with these arguments, the spider's and its item blocks', in file
     * order.
     *
     * @throws SpiderFileException with every problem of the file, if there is any
     */
    static List<SpiderContract> contracts(String yaml, String file, Map<String, String> arguments) {
        SpiderFileReader reader = new SpiderFileReader(file, arguments, System.getenv());
        SpiderDefinition definition = reader.spider(yaml);
        if (definition == null || reader.nodes.count() > 0) {
            throw new SpiderFileException(reader.nodes.sorted());
        }
        return reader.contractReader.contracts();
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
        List<String> startUrls = values.urls(top.get("start_urls"), "start_urls");
        List<String> sitemapUrls = values.urls(top.get("sitemap_urls"), "sitemap_urls");
        if (!top.containsKey("start_urls")
                && !top.containsKey("sitemap_urls")
                && !top.containsKey("start_requests")) {
            nodes.add(
                    root,
                    "start_urls",
                    "missing; every spider needs start_urls, start_requests or sitemap_urls");
        }
        List<String> domains = values.domains(top.get("allowed_domains"), "allowed_domains");
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
            RuleDefinition rule = ruleReader.rule(e.value(), e.key());
            if (rule != null) {
                rules.add(rule);
            }
        }
        List<Request> startRequests =
                startRequestReader.read(top.get("start_requests"), "start_requests");
        LoginDefinition login = loginReader.read(top.get("login"));
        Sitemaps sitemaps = sitemaps(top, sitemapUrls);
        contractReader.spiderContracts(top.get("contracts"), contractCallbacks(items));
        OutputDefinition output = output(top.get("output"));
        List<PipelineClass> pipelines = pipelines(top.get("pipelines"));
        if (nodes.count() > 0 || name == null || sitemaps == null) {
            return null;
        }
        return new SpiderDefinition(
                name,
                startUrls,
                sitemaps,
                domains,
                settings,
                rules,
                items,
                output,
                startRequests,
                login,
                pipelines);
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
            String regex = values.requiredString(keys, e.value(), e.key(), "regex", "a regex");
            if (regex != null && !checks.regex(keys.get("regex"), e.key() + ".regex", regex)) {
                regex = null;
            }
            String callback =
                    values.requiredString(
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
        builder.follow(values.regexes(top.get("sitemap_follow"), "sitemap_follow"));
        Node alternates = top.get("sitemap_alternate_links");
        if (alternates != null) {
            Boolean enabled = nodes.bool(alternates, "sitemap_alternate_links");
            builder.alternateLinks(Boolean.TRUE.equals(enabled));
        }
        return nodes.count() > before ? null : builder.build();
    }

    /**
     * The callbacks a spider's contract may run, each with the fields of the items it gives: {@code
     * parse} and {@code parseLeaf} every block's (of those no rule names, but a contract need not
     * know), a named block its own.
     */
    private static Map<String, Set<String>> contractCallbacks(List<ItemDefinition> items) {
        Map<String, Set<String>> callbacks = new LinkedHashMap<>();
        Set<String> every = new LinkedHashSet<>();
        callbacks.put("parse", every);
        callbacks.put("parseLeaf", every);
        for (ItemDefinition item : items) {
            Set<String> fields = new LinkedHashSet<>();
            item.fields().forEach(f -> fields.add(f.name()));
            every.addAll(fields);
            if (item.name() != null) {
                callbacks.put(item.name(), fields);
            }
        }
        return callbacks;
    }

    private List<String> callbackNames() {
        List<String> names = new ArrayList<>(List.of("parse"));
        names.addAll(itemNames.keySet());
        return names;
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
            return values.substituted(node, path);
        }
        if (node instanceof SequenceNode) {
            List<String> list = new ArrayList<>();
            for (YamlNodes.Entry e : nodes.sequence(node, path)) {
                String s = values.substituted(e.value(), e.key());
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
                            : values.substituted(e.value(), e.key());
            if (value == null) {
                return null;
            }
            map.put(e.key().substring(path.length() + 1), value);
        }
        return map;
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
            type =
                    name == null
                            ? null
                            : values.selectorType(selectorNode, path + ".selector", name);
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
        contractReader.blockContracts(
                keys.get("contracts"),
                path + ".contracts",
                itemName,
                itemName == null ? path : itemName,
                fields.stream().map(FieldDefinition::name).toList());
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

    /**
     * {@code output: FILE} (appended to, as {@code -o}) or {@code output: {path: FILE, overwrite:
     * true}}; null when absent or after a problem.
     */
    private @Nullable OutputDefinition output(@Nullable Node node) {
        if (node == null) {
            return null;
        }
        Node pathNode = node;
        String path = "output";
        boolean overwrite = false;
        if (node instanceof MappingNode) {
            int before = nodes.count();
            Map<String, Node> keys = nodes.mapping(node, "output", OUTPUT_KEYS);
            if (keys == null || nodes.count() > before) {
                return null;
            }
            pathNode = keys.get("path");
            if (pathNode == null) {
                nodes.add(node, "output.path", "missing; give the file, such as books.jsonl");
                return null;
            }
            path = "output.path";
            if (keys.containsKey("overwrite")) {
                Boolean value = nodes.bool(keys.get("overwrite"), "output.overwrite");
                if (value == null) {
                    return null;
                }
                overwrite = value;
            }
        }
        String file = values.substituted(pathNode, path);
        if (file == null) {
            return null;
        }
        try {
            return new OutputDefinition(file, overwrite);
        } catch (IllegalArgumentException e) {
            nodes.add(pathNode, path, String.valueOf(e.getMessage()));
            return null;
        }
    }

    /**
     * {@code pipelines: [org.acme.Clean, ...]}: item pipelines by class name, each kept with where
     * it was written; a name that cannot be a Java class name is a problem here (whether the class
     * exists is known only to the command that loads it).
     */
    private List<PipelineClass> pipelines(@Nullable Node node) {
        List<PipelineClass> pipelines = new ArrayList<>();
        for (YamlNodes.Entry e : nodes.sequence(node, "pipelines")) {
            String name = nodes.string(e.value(), e.key());
            if (name == null) {
                continue;
            }
            String className = name.strip();
            if (!CLASS_NAME.matcher(className).matches()) {
                nodes.add(
                        e.value(),
                        e.key(),
                        "'"
                                + name
                                + "' is not a Java class name; give the pipeline class's full"
                                + " name, such as org.acme.CleanPrices");
                continue;
            }
            Mark mark = e.value().getStartMark();
            pipelines.add(
                    new PipelineClass(
                            className,
                            file
                                    + ":"
                                    + (mark.getLine() + 1)
                                    + ":"
                                    + (mark.getColumn() + 1)
                                    + ": "
                                    + e.key()));
        }
        return pipelines;
    }
}
