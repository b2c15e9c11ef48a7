package org.arachne.spider.yaml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.arachne.internal.Suggestions;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The arguments of one reading of a spider file (Scrapy's {@code -a key=value}): those the file
 * declares under {@code arguments:}, with their defaults, and the values given for them. Reports,
 * as {@link Problem}s, a declared argument without a default that is not given, a given one the
 * file does not declare, and a {@code ${name}} that names no declared argument.
 */
final class SpiderArguments {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** {@code ${name}}, or {@code $${...}} which stands for a literal {@code ${...}}. */
    private static final Pattern REFERENCE = Pattern.compile("\\$(\\$?)\\{([^}]*)}");

    private final YamlNodes nodes;
    private final Map<String, String> given;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> declared = new ArrayList<>();

    /** The arguments of a file whose {@link #read} is to come, with the values given for them. */
    SpiderArguments(YamlNodes nodes, Map<String, String> given) {
        this.nodes = nodes;
        this.given = Map.copyOf(given);
    }

    /**
     * Reads the file's {@code arguments:} mapping ({@code node}, null when it has none) against the
     * values given, reporting every problem; once per file, before anything is substituted.
     */
    void read(@Nullable Node node) {
        List<YamlNodes.Entry> entries = node == null ? List.of() : nodes.entries(node, "arguments");
        for (YamlNodes.Entry e : entries) {
            String name = e.key().substring("arguments.".length());
            if (!NAME.matcher(name).matches()) {
                nodes.add(
                        e.keyNode(),
                        e.key(),
                        "'"
                                + name
                                + "' cannot name an argument; use letters, digits and _, not"
                                + " starting with a digit");
                continue;
            }
            declared.add(name);
            String value = given.containsKey(name) ? given.get(name) : defaultValue(e);
            if (value != null) {
                values.put(name, value);
            }
        }
        for (String name : new TreeSet<>(given.keySet())) {
            if (!declared.contains(name)) {
                String hint =
                        declared.isEmpty()
                                ? "; the spider declares no arguments (declare it under"
                                        + " arguments:, with its default)"
                                : Suggestions.hint(name, declared);
                nodes.add(
                        node == null ? null : node.getStartMark(),
                        "arguments",
                        "argument '" + name + "' is given but not declared" + hint);
            }
        }
    }

    /** The default of a declared argument; null (reported) when it has none. */
    private @Nullable String defaultValue(YamlNodes.Entry e) {
        String name = e.key().substring("arguments.".length());
        if (e.value() instanceof ScalarNode scalar && scalar.getTag().equals(Tag.NULL)) {
            nodes.add(
                    e.keyNode(),
                    e.key(),
                    "argument '"
                            + name
                            + "' has no default and is not given; give it with -a "
                            + name
                            + "=VALUE");
            return null;
        }
        return nodes.string(e.value(), e.key());
    }

    /**
     * {@code text} with every {@code ${name}} replaced by the argument's value and every {@code
     * $${} by a literal <code>${</code>; null when it names an argument without a value (reported
     * at its declaration) or one the file does not declare (reported here, at {@code node}), so
     * that the value is not checked as if it were complete.
     */
    @Nullable String substitute(Node node, String path, String text) {
        if (text.indexOf('$') < 0) {
            return text;
        }
        Matcher m = REFERENCE.matcher(text);
        StringBuilder sb = new StringBuilder();
        boolean complete = true;
        while (m.find()) {
            String name = m.group(2);
            String replacement;
            if (!m.group(1).isEmpty()) {
                replacement = "${" + name + "}";
            } else if (declared.contains(name)) {
                replacement = values.getOrDefault(name, "");
                complete &= values.containsKey(name);
            } else {
                complete = false;
                String closest = Suggestions.closest(name, declared);
                nodes.add(
                        node,
                        path,
                        "'${"
                                + name
                                + "}' names no argument; "
                                + (closest != null
                                        ? "did you mean '" + closest + "'?"
                                        : declared.isEmpty()
                                                ? "declare it under arguments:, with its default"
                                                : "declared: " + String.join(", ", declared)));
                replacement = m.group();
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(sb);
        return complete ? sb.toString() : null;
    }
}
