package org.arachne.spider.yaml;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.arachne.http.Request;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads the values that several parts of a spider file share (strings with arguments substituted,
 * required strings, URLs, domains, regexes, selector languages) and reports every problem at its
 * node. One instance per file, sharing its {@link YamlNodes}.
 */
final class SpiderValues {
    private static final Pattern DOMAIN = Pattern.compile("[\\p{L}\\p{N}._-]+|\\[[0-9A-Fa-f:.]+]");

    private final YamlNodes nodes;
    private final ExpressionChecks checks;
    private final SpiderArguments arguments;

    SpiderValues(YamlNodes nodes, ExpressionChecks checks, SpiderArguments arguments) {
        this.nodes = nodes;
        this.checks = checks;
        this.arguments = arguments;
    }

    /**
     * The string {@code key} of {@code map}, which must be there and not blank; {@code what} says
     * what to give in the message. Null after a problem.
     */
    @Nullable String requiredString(
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

    /**
     * A string with the arguments substituted for their {@code ${name}}; null when it is no string
     * or names an argument without a value (either reported already).
     */
    @Nullable String substituted(Node node, String path) {
        String value = nodes.string(node, path);
        return value == null ? null : arguments.substitute(node, path, value);
    }

    /** A list of absolute http(s) URLs; empty when the key is absent. */
    List<String> urls(@Nullable Node node, String path) {
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

    List<String> domains(@Nullable Node node, String path) {
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

    List<String> regexes(@Nullable Node node, String path) {
        List<String> regexes = new ArrayList<>();
        for (YamlNodes.Entry e : nodes.sequence(node, path)) {
            String regex = nodes.string(e.value(), e.key());
            if (regex != null && checks.regex(e.value(), e.key(), regex)) {
                regexes.add(regex);
            }
        }
        return regexes;
    }

    @Nullable SelectorType selectorType(Node node, String path, String name) {
        for (SelectorType t : SelectorType.values()) {
            if (t.yamlName().equals(name)) {
                return t;
            }
        }
        nodes.add(
                node,
                path,
                "unknown selector type '" + name + "'; expected xpath, css or jmespath");
        return null;
    }
}
