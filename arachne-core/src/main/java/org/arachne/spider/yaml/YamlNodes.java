package org.arachne.spider.yaml;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.arachne.internal.Suggestions;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads values out of SnakeYAML nodes for {@link SpiderFileReader}, and collects a {@link Problem}
 * with file, line, column and path for every value that is not what was expected, so that one
 * reading reports every problem of a file. One instance per file.
 */
final class YamlNodes {
    /** One key of a mapping (or element of a list, keyed by its path) with its value. */
    record Entry(String key, Node keyNode, Node value) {}

    private final String file;
    private final List<Problem> problems = new ArrayList<>();
    private final List<Problem> warnings = new ArrayList<>();

    YamlNodes(String file) {
        this.file = file;
    }

    /** Problems found so far. */
    int count() {
        return problems.size();
    }

    /** The problems, sorted by position. */
    List<Problem> sorted() {
        List<Problem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column));
        return List.copyOf(sorted);
    }

    /** The warnings (what is valid but likely wrong), sorted by position. */
    List<Problem> sortedWarnings() {
        List<Problem> sorted = new ArrayList<>(warnings);
        sorted.sort(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column));
        return List.copyOf(sorted);
    }

    /** Warns of something valid but likely wrong at {@code node}; not counted as a problem. */
    void warn(Node node, String path, String message) {
        Mark mark = node.getStartMark();
        warnings.add(new Problem(file, mark.getLine() + 1, mark.getColumn() + 1, path, message));
    }

    /** A problem of the whole file, reported at its start. */
    void addAtStart(String message) {
        problems.add(new Problem(file, 1, 1, "", message));
    }

    /** The known keys of a mapping; reports unknown and duplicate keys; null if not a mapping. */
    @Nullable Map<String, Node> mapping(Node node, String path, List<String> known) {
        if (!(node instanceof MappingNode)) {
            wrongType(node, path, "a mapping of " + String.join(", ", known));
            return null;
        }
        Map<String, Node> keys = new LinkedHashMap<>();
        for (Entry e : entries(node, path)) {
            String key = path.isEmpty() ? e.key() : e.key().substring(path.length() + 1);
            if (known.contains(key)) {
                keys.put(key, e.value());
            } else {
                add(
                        e.keyNode(),
                        e.key(),
                        "unknown key '" + key + "'" + Suggestions.hint(key, known));
            }
        }
        return keys;
    }

    /** The entries of a mapping, with full paths as keys; reports duplicates. */
    List<Entry> entries(Node node, String path) {
        if (!(node instanceof MappingNode mapping)) {
            wrongType(node, path, "a mapping");
            return List.of();
        }
        Map<String, Entry> seen = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode scalar) || scalar.getTag().equals(Tag.NULL)) {
                add(keyNode, path, "expected a key name, got " + describe(keyNode));
                continue;
            }
            String key = path.isEmpty() ? scalar.getValue() : path + "." + scalar.getValue();
            Entry first = seen.get(key);
            if (first != null) {
                add(
                        keyNode,
                        key,
                        "duplicate key; first given on line "
                                + (first.keyNode().getStartMark().getLine() + 1));
                continue;
            }
            seen.put(key, new Entry(key, keyNode, tuple.getValueNode()));
        }
        return List.copyOf(seen.values());
    }

    /** The elements of a list, with paths such as {@code rules[0]}; empty for a null node. */
    List<Entry> sequence(@Nullable Node node, String path) {
        if (node == null) {
            return List.of();
        }
        if (!(node instanceof SequenceNode sequence)) {
            String hint =
                    node instanceof ScalarNode s && !s.getTag().equals(Tag.NULL)
                            ? " (write [" + s.getValue() + "] for a list of one)"
                            : "";
            wrongType(node, path, "a list", hint);
            return List.of();
        }
        List<Entry> entries = new ArrayList<>();
        List<Node> values = sequence.getValue();
        for (int i = 0; i < values.size(); i++) {
            entries.add(new Entry(path + "[" + i + "]", values.get(i), values.get(i)));
        }
        return entries;
    }

    @Nullable String string(Node node, String path) {
        if (node instanceof ScalarNode scalar && !scalar.getTag().equals(Tag.NULL)) {
            return scalar.getValue();
        }
        wrongType(node, path, "a string");
        return null;
    }

    @Nullable Boolean bool(Node node, String path) {
        if (node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.BOOL)) {
            String value = scalar.getValue().toLowerCase(Locale.ROOT);
            return value.equals("true") || value.equals("yes") || value.equals("on");
        }
        wrongType(node, path, "true or false");
        return null;
    }

    void wrongType(Node node, String path, String expected) {
        wrongType(node, path, expected, "");
    }

    void wrongType(Node node, String path, String expected, String hint) {
        add(node, path, "expected " + expected + ", got " + describe(node) + hint);
    }

    static String describe(Node node) {
        if (node instanceof ScalarNode scalar) {
            return scalar.getTag().equals(Tag.NULL) ? "nothing" : "'" + scalar.getValue() + "'";
        }
        return node instanceof SequenceNode ? "a list" : "a mapping";
    }

    void add(Node node, String path, String message) {
        add(node.getStartMark(), path, message);
    }

    void add(@Nullable Mark mark, String path, String message) {
        int line = mark == null ? 1 : mark.getLine() + 1;
        int column = mark == null ? 1 : mark.getColumn() + 1;
        problems.add(new Problem(file, line, column, path, message));
    }
}
