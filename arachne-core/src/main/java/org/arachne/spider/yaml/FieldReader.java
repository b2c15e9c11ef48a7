package org.arachne.spider.yaml;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.arachne.internal.Suggestions;
import org.arachne.select.PythonRegex;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads the fields of a spider file (of item blocks), with their processors, and reports every
 * problem at its node. One instance per file, sharing the file's {@link YamlNodes}.
 */
final class FieldReader {
    private static final List<String> FIELD_KEYS =
            List.of(
                    "xpath",
                    "css",
                    "jmespath",
                    "regex",
                    "constant",
                    "value",
                    "name",
                    "processors",
                    "type",
                    "required",
                    "default");
    private static final List<String> SOURCES =
            List.of("xpath", "css", "jmespath", "constant", "value");
    private static final String ONE_SOURCE =
            "one of xpath, css, jmespath, regex, constant or value";
    private static final List<String> PROCESSORS =
            List.of(
                    "strip",
                    "normalize_space",
                    "lower",
                    "upper",
                    "replace",
                    "strip_tags",
                    "split",
                    "join",
                    "first");

    private final YamlNodes nodes;
    private final ExpressionChecks checks;
    private final SpiderArguments arguments;

    FieldReader(YamlNodes nodes, ExpressionChecks checks, SpiderArguments arguments) {
        this.nodes = nodes;
        this.checks = checks;
        this.arguments = arguments;
    }

    /**
     * The field {@code name} written at {@code node}: a bare selector in {@code defaultType}, or a
     * mapping; null after a problem.
     */
    @Nullable FieldDefinition field(String name, Node node, String path, SelectorType defaultType) {
        if (node instanceof ScalarNode) {
            String selector = nodes.string(node, path);
            if (selector == null || !checks.selector(defaultType, node, path, selector)) {
                return null;
            }
            return new FieldDefinition(
                    name,
                    defaultType,
                    selector,
                    null,
                    null,
                    null,
                    List.of(),
                    FieldType.STRING,
                    false,
                    null);
        }
        Map<String, Node> keys = nodes.mapping(node, path, FIELD_KEYS);
        if (keys == null) {
            return null;
        }
        int before = nodes.count();
        List<String> sources = new ArrayList<>();
        for (String key : keys.keySet()) {
            if (SOURCES.contains(key)) {
                if (!sources.isEmpty()) {
                    nodes.add(
                            keys.get(key),
                            path + "." + key,
                            "a field takes "
                                    + ONE_SOURCE
                                    + "; this one also has '"
                                    + sources.get(0)
                                    + "'");
                }
                sources.add(key);
            }
        }
        Node regexNode = keys.get("regex");
        if (regexNode != null && sources.contains("constant")) {
            nodes.add(
                    regexNode,
                    path + ".regex",
                    "regex filters the matches of xpath, css, jmespath or value; it cannot go"
                            + " with constant");
        }
        if (sources.isEmpty() && regexNode == null) {
            nodes.add(node, path, "no selector; give " + ONE_SOURCE);
        }
        @Nullable FieldType type = FieldType.STRING;
        Node typeNode = keys.get("type");
        if (typeNode != null) {
            String typeName = nodes.string(typeNode, path + ".type");
            type = typeName == null ? null : fieldType(typeNode, path + ".type", typeName);
        }
        Boolean required =
                keys.containsKey("required")
                        ? nodes.bool(keys.get("required"), path + ".required")
                        : Boolean.FALSE;
        List<FieldProcessor> processors =
                keys.containsKey("processors")
                        ? processors(keys.get("processors"), path + ".processors")
                        : List.of();
        SelectorType selectorType = null;
        String selector = null;
        String constant = null;
        PageValue pageValue = null;
        Node nameNode = keys.get("name");
        if (nameNode != null && !sources.contains("value")) {
            nodes.add(
                    nameNode,
                    path + ".name",
                    "name goes with value: header or value: meta (the header's or meta key's"
                            + " name)");
        }
        if (!sources.isEmpty() && sources.get(0).equals("value")) {
            pageValue = pageValue(keys.get("value"), nameNode, node, path);
        } else if (!sources.isEmpty()) {
            String source = sources.get(0);
            Node sourceNode = keys.get(source);
            String value = nodes.string(sourceNode, path + "." + source);
            if (value != null && source.equals("constant")) {
                value = arguments.substitute(sourceNode, path + ".constant", value);
                if (value == null) {
                    return null; // an argument without a value, reported where it is
                }
                constant = value;
                if (type != null
                        && type != FieldType.URL
                        && type != FieldType.LIST
                        && !isOfType(value, processors, type)) {
                    nodes.add(
                            sourceNode,
                            path + ".constant",
                            "'" + value + "' is not " + numberKind(type));
                }
            } else if (value != null) {
                selectorType =
                        switch (source) {
                            case "css" -> SelectorType.CSS;
                            case "jmespath" -> SelectorType.JMESPATH;
                            default -> SelectorType.XPATH;
                        };
                selector = value;
                if (readsJson(selectorType) != readsJson(defaultType)) {
                    nodes.add(
                            sourceNode,
                            path + "." + source,
                            readsJson(selectorType)
                                    ? "jmespath reads JSON: it goes in a block or rule with"
                                            + " selector: jmespath"
                                    : source
                                            + " reads HTML, and this block or rule reads JSON"
                                            + " (selector: jmespath): select with jmespath");
                } else {
                    checks.selector(selectorType, sourceNode, path + "." + source, value);
                }
            }
        }
        String regex = null;
        if (regexNode != null) {
            regex = nodes.string(regexNode, path + ".regex");
            if (regex != null) {
                checks.regex(regexNode, path + ".regex", regex);
            }
        }
        Object defaultValue = null;
        Node defaultNode = keys.get("default");
        if (defaultNode != null && type != null) {
            defaultValue = defaultValue(defaultNode, path + ".default", type);
            if (Boolean.TRUE.equals(required)) {
                nodes.add(defaultNode, path + ".default", "a required field cannot have a default");
            }
        }
        if (nodes.count() > before || type == null || required == null) {
            return null;
        }
        return new FieldDefinition(
                name,
                selectorType,
                selector,
                regex,
                constant,
                pageValue,
                processors,
                type,
                required,
                defaultValue);
    }

    private static boolean readsJson(SelectorType type) {
        return type == SelectorType.JMESPATH;
    }

    /** A {@code value:} with its {@code name:} when it needs one; null after a problem. */
    private @Nullable PageValue pageValue(
            Node valueNode, @Nullable Node nameNode, Node fieldNode, String path) {
        String written = nodes.string(valueNode, path + ".value");
        if (written == null) {
            return null;
        }
        List<String> kinds = new ArrayList<>();
        PageValue.Kind kind = null;
        for (PageValue.Kind k : PageValue.Kind.values()) {
            kinds.add(k.yamlName());
            if (k.yamlName().equals(written)) {
                kind = k;
            }
        }
        if (kind == null) {
            nodes.add(
                    valueNode,
                    path + ".value",
                    "unknown value '" + written + "'" + Suggestions.hint(written, kinds));
            return null;
        }
        if (!kind.named()) {
            if (nameNode != null) {
                nodes.add(
                        nameNode,
                        path + ".name",
                        "value: " + written + " takes no name; name goes with header or meta");
                return null;
            }
            return new PageValue(kind, null);
        }
        String what = kind == PageValue.Kind.HEADER ? "the header's name" : "the meta key";
        if (nameNode == null) {
            nodes.add(fieldNode, path + ".name", "missing; value: " + written + " needs " + what);
            return null;
        }
        String name = nodes.string(nameNode, path + ".name");
        if (name != null && name.isBlank()) {
            nodes.add(nameNode, path + ".name", "must not be empty; give " + what);
            return null;
        }
        return name == null ? null : new PageValue(kind, name.strip());
    }

    /** Whether a constant, after the processors, is a value of the (number) type. */
    private static boolean isOfType(
            String constant, List<FieldProcessor> processors, FieldType type) {
        List<String> texts = List.of(constant);
        for (FieldProcessor processor : processors) {
            texts = processor.compile().apply(texts);
        }
        for (String text : texts) {
            if (!text.isBlank()) {
                return type.convert(text) != null;
            }
        }
        return true; // nothing left: the field is empty, which is no type error
    }

    /** The {@code processors} list; the valid ones, every problem reported. */
    private List<FieldProcessor> processors(Node node, String path) {
        List<FieldProcessor> processors = new ArrayList<>();
        for (YamlNodes.Entry e : nodes.sequence(node, path)) {
            FieldProcessor processor =
                    e.value() instanceof MappingNode
                            ? processorWithArgument(e.value(), e.key())
                            : processorByName(e.value(), e.key());
            if (processor != null) {
                processors.add(processor);
            }
        }
        return processors;
    }

    private @Nullable FieldProcessor processorByName(Node node, String path) {
        String name = nodes.string(node, path);
        if (name == null) {
            return null;
        }
        FieldProcessor.Simple simple = simple(name);
        if (simple != null) {
            return simple;
        }
        switch (name) {
            case "split" -> {
                return new FieldProcessor.Split(null);
            }
            case "join" -> {
                return new FieldProcessor.Join(" ");
            }
            case "replace" -> {
                nodes.add(
                        node,
                        path,
                        "replace needs a regex and what each match becomes: write {replace:"
                                + " ['\\s+', ' ']}");
                return null;
            }
            default -> {
                nodes.add(node, path, unknownProcessor(name));
                return null;
            }
        }
    }

    private @Nullable FieldProcessor processorWithArgument(Node node, String path) {
        List<YamlNodes.Entry> entries = nodes.entries(node, path);
        if (entries.size() != 1) {
            nodes.add(
                    node,
                    path,
                    "a processor is a name (strip), or one name with its argument ({split: ','});"
                            + " this mapping has "
                            + entries.size()
                            + " keys");
            return null;
        }
        YamlNodes.Entry entry = entries.get(0);
        String name = entry.key().substring(path.length() + 1);
        Node argument = entry.value();
        if (simple(name) != null) {
            nodes.add(
                    entry.keyNode(),
                    entry.key(),
                    name + " takes no argument; write it as a name alone: " + name);
            return null;
        }
        switch (name) {
            case "split" -> {
                String separator = nodes.string(argument, entry.key());
                if (separator != null && separator.isEmpty()) {
                    nodes.add(
                            argument,
                            entry.key(),
                            "the separator must not be empty; write split alone to split at"
                                    + " whitespace");
                    return null;
                }
                return separator == null ? null : new FieldProcessor.Split(separator);
            }
            case "join" -> {
                String separator = nodes.string(argument, entry.key());
                return separator == null ? null : new FieldProcessor.Join(separator);
            }
            case "replace" -> {
                return replace(argument, entry.key());
            }
            default -> {
                nodes.add(entry.keyNode(), entry.key(), unknownProcessor(name));
                return null;
            }
        }
    }

    /** {@code replace: [regex, replacement]}, both checked; null when invalid. */
    private FieldProcessor.@Nullable Replace replace(Node node, String path) {
        if (!(node instanceof SequenceNode)) {
            nodes.wrongType(node, path, "[regex, replacement]");
            return null;
        }
        List<YamlNodes.Entry> parts = nodes.sequence(node, path);
        if (parts.size() != 2) {
            nodes.add(
                    node,
                    path,
                    "expected [regex, replacement], got a list of "
                            + parts.size()
                            + "; write for example ['\\s+', ' ']");
            return null;
        }
        String regex = nodes.string(parts.get(0).value(), parts.get(0).key());
        String replacement = nodes.string(parts.get(1).value(), parts.get(1).key());
        if (regex == null
                || replacement == null
                || !checks.regex(parts.get(0).value(), parts.get(0).key(), regex)) {
            return null;
        }
        String problem = ValueReplacement.problem(PythonRegex.compile(regex), replacement);
        if (problem != null) {
            nodes.add(parts.get(1).value(), parts.get(1).key(), problem);
            return null;
        }
        return new FieldProcessor.Replace(regex, replacement);
    }

    private static FieldProcessor.@Nullable Simple simple(String name) {
        for (FieldProcessor.Simple simple : FieldProcessor.Simple.values()) {
            if (simple.yamlName().equals(name)) {
                return simple;
            }
        }
        return null;
    }

    private static String unknownProcessor(String name) {
        return "unknown processor '" + name + "'" + Suggestions.hint(name, PROCESSORS);
    }

    private @Nullable FieldType fieldType(Node node, String path, String name) {
        List<String> names = new ArrayList<>();
        for (FieldType t : FieldType.values()) {
            if (t.yamlName().equals(name)) {
                return t;
            }
            names.add(t.yamlName());
        }
        nodes.add(node, path, "unknown type '" + name + "'" + Suggestions.hint(name, names));
        return null;
    }

    private @Nullable Object defaultValue(Node node, String path, FieldType type) {
        if (type == FieldType.LIST) {
            List<String> list = new ArrayList<>();
            for (YamlNodes.Entry e : nodes.sequence(node, path)) {
                String s = nodes.string(e.value(), e.key());
                if (s != null) {
                    list.add(s);
                }
            }
            return List.copyOf(list);
        }
        String text = nodes.string(node, path);
        if (text == null) {
            return null;
        }
        Object value = type.convert(text);
        if (value == null) {
            nodes.add(node, path, "'" + text + "' is not " + numberKind(type));
        }
        return value;
    }

    private static String numberKind(FieldType type) {
        return type == FieldType.INT ? "a whole number" : "a number";
    }
}
