package org.arachne.spider.yaml;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arachne.http.Request;
import org.arachne.internal.Suggestions;
import org.arachne.spider.contract.Bounds;
import org.arachne.spider.contract.SpiderContract;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads the {@code contracts:} blocks of a spider file, the spider's own (each naming its {@code
 * callback}) and those of its item blocks (which check the block they are in), into {@link
 * SpiderContract}s; every problem is reported at its node. One instance per file.
 */
final class ContractReader {
    private static final List<String> SPIDER_KEYS =
            List.of("url", "callback", "items", "scrapes", "requests", "meta");
    private static final List<String> BLOCK_KEYS =
            List.of("url", "items", "scrapes", "requests", "meta");
    private static final List<String> RANGE_KEYS = List.of("min", "max");
    private static final List<String> REQUEST_KEYS = List.of("min", "max", "pattern");

    /** A contract with the line it starts on, so the file's contracts can be given in order. */
    private record Located(int line, SpiderContract contract) {}

    private final YamlNodes nodes;
    private final SpiderValues values;
    private final ExpressionChecks checks;
    private final List<Located> contracts = new ArrayList<>();

    ContractReader(YamlNodes nodes, SpiderValues values, ExpressionChecks checks) {
        this.nodes = nodes;
        this.values = values;
        this.checks = checks;
    }

    /** The contracts read so far, in file order. */
    List<SpiderContract> contracts() {
        return contracts.stream()
                .sorted(Comparator.comparingInt(Located::line))
                .map(Located::contract)
                .toList();
    }

    /**
     * Reads an item block's {@code contracts:}: each runs the block's callback ({@code name}, or
     * {@code parse} for a block without a name) and is named after the block.
     *
     * @param label how reports name the block: its name, else its path ({@code items[0]})
     * @param fields the block's field names, which {@code scrapes} may name
     */
    void blockContracts(
            @Nullable Node node,
            String path,
            @Nullable String blockName,
            String label,
            Collection<String> fields) {
        for (YamlNodes.Entry e : nodes.sequence(node, path)) {
            if (e.value() instanceof MappingNode mapping
                    && mapping.getValue().stream()
                            .anyMatch(
                                    t ->
                                            t.getKeyNode() instanceof ScalarNode k
                                                    && k.getValue().equals("callback"))) {
                nodes.add(
                        e.value(),
                        e.key() + ".callback",
                        "an item block's contract runs that block; a contract for another"
                                + " callback goes in the spider's contracts:");
                continue;
            }
            Map<String, Node> keys = nodes.mapping(e.value(), e.key(), BLOCK_KEYS);
            if (keys != null) {
                contract(
                        keys,
                        e.value(),
                        e.key(),
                        label,
                        blockName == null ? "parse" : blockName,
                        fields);
            }
        }
    }

    /**
     * Reads the spider's {@code contracts:}: each names its {@code callback} (default {@code
     * parse}), one of {@code callbacks}.
     *
     * @param callbacks the callbacks a contract may name, each with the fields {@code scrapes} may
     *     name there
     */
    void spiderContracts(@Nullable Node node, Map<String, ? extends Collection<String>> callbacks) {
        for (YamlNodes.Entry e : nodes.sequence(node, "contracts")) {
            Map<String, Node> keys = nodes.mapping(e.value(), e.key(), SPIDER_KEYS);
            if (keys == null) {
                continue;
            }
            String callback = "parse";
            Node callbackNode = keys.get("callback");
            if (callbackNode != null) {
                callback = nodes.string(callbackNode, e.key() + ".callback");
                if (callback == null) {
                    continue;
                }
                if (!callbacks.containsKey(callback)) {
                    nodes.add(
                            callbackNode,
                            e.key() + ".callback",
                            "unknown callback '"
                                    + callback
                                    + "'; give parse, parseLeaf or the name of an item block"
                                    + Suggestions.hint(callback, callbacks.keySet()));
                    continue;
                }
            }
            contract(keys, e.value(), e.key(), callback, callback, callbacks.get(callback));
        }
    }

    private void contract(
            Map<String, Node> keys,
            Node node,
            String path,
            String name,
            String callback,
            Collection<String> fields) {
        int before = nodes.count();
        String url = url(keys, node, path);
        Bounds items = null;
        if (keys.containsKey("items")) {
            items = bounds(keys.get("items"), path + ".items", RANGE_KEYS);
        }
        List<String> scrapes = scrapes(keys.get("scrapes"), path + ".scrapes", fields);
        Bounds requests = null;
        String pattern = null;
        Node requestsNode = keys.get("requests");
        if (requestsNode != null) {
            requests = bounds(requestsNode, path + ".requests", REQUEST_KEYS);
            pattern = pattern(requestsNode, path + ".requests");
        }
        Map<String, Object> meta = meta(keys.get("meta"), path + ".meta");
        if (url == null || nodes.count() > before) {
            return;
        }
        contracts.add(
                new Located(
                        node.getStartMark().getLine(),
                        new SpiderContract(
                                name, url, callback, items, scrapes, requests, pattern, meta)));
    }

    private @Nullable String url(Map<String, Node> keys, Node node, String path) {
        Node urlNode = keys.get("url");
        if (urlNode == null) {
            nodes.add(node, path + ".url", "missing; give the URL of a page to check");
            return null;
        }
        String url = values.substituted(urlNode, path + ".url");
        if (url == null) {
            return null;
        }
        try {
            Request.get(url);
            return url;
        } catch (IllegalArgumentException e) {
            nodes.add(urlNode, path + ".url", String.valueOf(e.getMessage()));
            return null;
        }
    }

    /** {@code 10} (exactly) or {@code {min: 1, max: 20}} (either may be left out). */
    private @Nullable Bounds bounds(Node node, String path, List<String> known) {
        if (node instanceof ScalarNode) {
            Integer n = count(node, path);
            return n == null ? null : Bounds.exactly(n);
        }
        if (!(node instanceof MappingNode)) {
            nodes.wrongType(node, path, "a number or a mapping of " + String.join(", ", known));
            return null;
        }
        Map<String, Node> keys = nodes.mapping(node, path, known);
        if (keys == null) {
            return null;
        }
        Integer min = keys.containsKey("min") ? count(keys.get("min"), path + ".min") : 0;
        Integer max =
                keys.containsKey("max")
                        ? count(keys.get("max"), path + ".max")
                        : Integer.valueOf(Integer.MAX_VALUE);
        if (min == null || max == null) {
            return null;
        }
        if (max < min) {
            nodes.add(
                    keys.get("max"), path + ".max", "is less than min (" + max + " < " + min + ")");
            return null;
        }
        return new Bounds(min, max);
    }

    private @Nullable Integer count(Node node, String path) {
        if (node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.INT)) {
            try {
                int n = Integer.parseInt(scalar.getValue().replace("_", ""));
                if (n >= 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below, as any other value that is no count
            }
        }
        nodes.wrongType(node, path, "a whole number, 0 or more");
        return null;
    }

    private @Nullable String pattern(Node node, String path) {
        if (!(node instanceof MappingNode mapping)) {
            return null;
        }
        for (var tuple : mapping.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode key && key.getValue().equals("pattern")) {
                String regex = nodes.string(tuple.getValueNode(), path + ".pattern");
                return regex != null && checks.regex(tuple.getValueNode(), path + ".pattern", regex)
                        ? regex
                        : null;
            }
        }
        return null;
    }

    private List<String> scrapes(@Nullable Node node, String path, Collection<String> fields) {
        List<String> names = new ArrayList<>();
        for (YamlNodes.Entry e : nodes.sequence(node, path)) {
            String name = nodes.string(e.value(), e.key());
            if (name == null) {
                continue;
            }
            if (!fields.contains(name)) {
                nodes.add(
                        e.value(),
                        e.key(),
                        "'"
                                + name
                                + "' is no field of the items checked"
                                + (fields.isEmpty() ? "" : Suggestions.hint(name, fields)));
                continue;
            }
            names.add(name);
        }
        return names;
    }

    /** Strings, or lists of strings, by name; as a rule's {@code carry} puts them in meta. */
    private Map<String, Object> meta(@Nullable Node node, String path) {
        Map<String, Object> meta = new LinkedHashMap<>();
        if (node == null) {
            return meta;
        }
        for (YamlNodes.Entry e : nodes.entries(node, path)) {
            String name = e.key().substring(path.length() + 1);
            if (RuleReader.ENGINE_META.contains(name)) {
                nodes.add(
                        e.keyNode(),
                        e.key(),
                        "'" + name + "' is a meta key the crawl itself reads; use another name");
                continue;
            }
            if (e.value() instanceof SequenceNode) {
                List<String> list = new ArrayList<>();
                for (YamlNodes.Entry element : nodes.sequence(e.value(), e.key())) {
                    String s = values.substituted(element.value(), element.key());
                    if (s != null) {
                        list.add(s);
                    }
                }
                meta.put(name, List.copyOf(list));
            } else {
                String s = values.substituted(e.value(), e.key());
                if (s != null) {
                    meta.put(name, s);
                }
            }
        }
        return meta;
    }
}
