package org.arachne.select;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.jsoup.nodes.DataNode;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.Elements;
import org.jsoup.select.Evaluator;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.QueryParser;
import org.jsoup.select.Selector;
import org.jspecify.annotations.Nullable;

/**
 * A CSS query compiled for jsoup, with parsel's pseudo-elements {@code ::text} (text nodes) and
 * {@code ::attr(name)} (attribute values), which end a comma-separated group. They follow parsel's
 * translation to XPath: {@code p::text} is the direct text of each {@code p}; {@code p ::text} and
 * {@code p *::text} are all text inside each {@code p}, its own included ({@code
 * descendant-or-self}); after a combinator ({@code a > ::attr(class)}) or alone, a pseudo-element
 * applies to {@code *}. The argument of {@code ::attr()} is an identifier or a quoted string;
 * anything else is an error naming the query.
 *
 * <p>Results are in document order, each once, across all groups, as parsel's XPath union gives
 * them. When the context is the document, the document itself is not a result (parsel's context is
 * the root element), nor is the whitespace outside {@code <html>}.
 */
final class CssQuery {
    private static final BoundedCache<CssQuery> CACHE = new BoundedCache<>(1024);

    /** cssselect's identifier, without escapes. */
    private static final Pattern IDENT =
            Pattern.compile("-?[_a-zA-Z\\u0080-\\uFFFF][-_a-zA-Z0-9\\u0080-\\uFFFF]*");

    /** What a group selects from the elements its selector matches. */
    private enum Target {
        ELEMENTS,
        TEXT,
        ATTRIBUTE
    }

    /**
     * One comma-separated group: a jsoup selector, its target, and whether the target is taken from
     * each matched element and all its descendants ({@code subtree}) or from the element alone.
     */
    private record Group(String css, Target target, @Nullable String attribute, boolean subtree) {
        boolean sameTarget(Group other) {
            return target == other.target
                    && subtree == other.subtree
                    && Objects.equals(attribute, other.attribute);
        }
    }

    /** Neighbouring groups with the same target, matched by one jsoup evaluator. */
    private record Part(
            Evaluator evaluator, Target target, @Nullable String attribute, boolean subtree) {}

    private final List<Part> parts;

    private CssQuery(List<Part> parts) {
        this.parts = parts;
    }

    /**
     * Compiles {@code query}, or takes it from the cache.
     *
     * @throws IllegalArgumentException naming the query and the problem, if it cannot be parsed
     */
    static CssQuery compile(String query) {
        return CACHE.get(query, CssQuery::parse);
    }

    private static CssQuery parse(String query) {
        List<Group> groups = new ArrayList<>();
        for (String group : splitGroups(query)) {
            groups.add(parseGroup(query, group.strip()));
        }
        List<Part> parts = new ArrayList<>();
        int i = 0;
        while (i < groups.size()) {
            Group first = groups.get(i);
            StringJoiner css = new StringJoiner(", ");
            int j = i;
            while (j < groups.size() && groups.get(j).sameTarget(first)) {
                css.add(groups.get(j++).css());
            }
            parts.add(
                    new Part(
                            evaluator(query, css.toString()),
                            first.target(),
                            first.attribute(),
                            first.subtree()));
            i = j;
        }
        return new CssQuery(List.copyOf(parts));
    }

    private static Group parseGroup(String query, String group) {
        int pseudo = indexOfPseudoElement(group);
        if (pseudo < 0) {
            return new Group(group, Target.ELEMENTS, null, false);
        }
        String pseudoElement = group.substring(pseudo + 2);
        String lowerCase = pseudoElement.toLowerCase(Locale.ROOT);
        Target target;
        String attribute = null;
        if (lowerCase.equals("text")) {
            target = Target.TEXT;
        } else if (lowerCase.startsWith("attr(") && pseudoElement.endsWith(")")) {
            target = Target.ATTRIBUTE;
            attribute =
                    attributeName(query, pseudoElement.substring(5, pseudoElement.length() - 1));
        } else {
            throw new IllegalArgumentException(
                    "invalid CSS query '"
                            + query
                            + "': unknown pseudo-element '::"
                            + pseudoElement
                            + "'; only ::text and ::attr(name) are supported, at the end of a"
                            + " selector");
        }
        String selector = group.substring(0, pseudo).strip();
        if (selector.isEmpty() || endsWithCombinator(selector)) {
            // "a > ::text", "::text": the pseudo-element of an implicit *
            return new Group(selector + "*", target, attribute, false);
        }
        if (Character.isWhitespace(group.charAt(pseudo - 1))) {
            // "div ::text" is "div *::text"
            return new Group(selector, target, attribute, true);
        }
        int last = selector.length() - 1;
        if (last > 0
                && selector.charAt(last) == '*'
                && Character.isWhitespace(selector.charAt(last - 1))) {
            String ancestor = selector.substring(0, last).strip();
            if (!endsWithCombinator(ancestor)) {
                // parsel turns ".../descendant-or-self::*/*/text()" into
                // ".../descendant-or-self::*/text()"
                return new Group(ancestor, target, attribute, true);
            }
        }
        return new Group(selector, target, attribute, false);
    }

    private static boolean endsWithCombinator(String selector) {
        char last = selector.charAt(selector.length() - 1);
        return last == '>' || last == '+' || last == '~';
    }

    /** The name in {@code ::attr(argument)}: an identifier or a quoted string, as in parsel. */
    private static String attributeName(String query, String argument) {
        String arg = argument.strip();
        String name = null;
        if (IDENT.matcher(arg).matches()) {
            name = arg;
        } else if (!arg.isEmpty() && (arg.charAt(0) == '"' || arg.charAt(0) == '\'')) {
            name = quoted(arg);
        }
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(
                    "invalid CSS query '"
                            + query
                            + "': ::attr() takes one attribute name, an identifier or a quoted"
                            + " string; got '"
                            + arg
                            + "'");
        }
        return name.toLowerCase(Locale.ROOT);
    }

    /** The content of a string that is all of {@code arg}, escapes resolved; else null. */
    private static @Nullable String quoted(String arg) {
        char quote = arg.charAt(0);
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i < arg.length(); i++) {
            char c = arg.charAt(i);
            if (c == '\\' && i + 1 < arg.length()) {
                sb.append(arg.charAt(++i));
            } else if (c == quote) {
                return i == arg.length() - 1 ? sb.toString() : null;
            } else {
                sb.append(c);
            }
        }
        return null;
    }

    private static Evaluator evaluator(String query, String css) {
        try {
            return QueryParser.parse(css);
        } catch (IllegalArgumentException | Selector.SelectorParseException e) {
            throw new IllegalArgumentException(
                    "invalid CSS query '" + query + "': " + e.getMessage(), e);
        }
    }

    /** The index of the first {@code ::} outside quotes, brackets and parentheses, or -1. */
    private static int indexOfPseudoElement(String group) {
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < group.length(); i++) {
            char c = group.charAt(i);
            if (c == '\\') {
                i++;
            } else if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '(' || c == '[') {
                depth++;
            } else if (c == ')' || c == ']') {
                depth--;
            } else if (depth == 0 && group.startsWith("::", i)) {
                return i;
            }
        }
        return -1;
    }

    /** Splits on commas outside quotes, brackets and parentheses. */
    private static List<String> splitGroups(String query) {
        List<String> groups = new ArrayList<>();
        int depth = 0;
        char quote = 0;
        int start = 0;
        for (int i = 0; i < query.length(); i++) {
            char c = query.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '(' || c == '[') {
                depth++;
            } else if (c == ')' || c == ']') {
                depth--;
            } else if (c == ',' && depth == 0) {
                groups.add(query.substring(start, i));
                start = i + 1;
            }
        }
        groups.add(query.substring(start));
        return groups;
    }

    /** Matches this query in {@code root}'s subtree (root included) and adds results to out. */
    void select(Element root, List<Object> out) {
        if (parts.size() == 1) {
            select(parts.get(0), root, out);
            return;
        }
        List<Object> all = new ArrayList<>();
        for (Part part : parts) {
            select(part, root, all);
        }
        DocumentOrder.sortDistinct(root, all);
        out.addAll(all);
    }

    private static void select(Part part, Element root, List<Object> out) {
        Elements matched = root.select(part.evaluator());
        switch (part.target()) {
            case ELEMENTS -> {
                for (Element e : matched) {
                    if (!(e instanceof Document)) {
                        out.add(e);
                    }
                }
            }
            case TEXT -> {
                if (part.subtree()) {
                    eachSubtree(matched, node -> addText(node, out));
                } else {
                    addDirectText(root, matched, out);
                }
            }
            case ATTRIBUTE -> {
                String name = Objects.requireNonNull(part.attribute());
                if (part.subtree()) {
                    eachSubtree(matched, node -> addAttribute(node, name, out));
                } else {
                    for (Element e : matched) {
                        addAttribute(e, name, out);
                    }
                }
            }
        }
    }

    /**
     * Visits, in document order, each node of the subtrees of {@code matched} (in document order),
     * once: an element inside one visited before is not visited again.
     */
    private static void eachSubtree(Elements matched, Consumer<Node> visitor) {
        Element covered = null;
        for (Element e : matched) {
            if (covered != null && isInside(e, covered)) {
                continue;
            }
            NodeTraversor.traverse((node, depth) -> visitor.accept(node), e);
            covered = e;
        }
    }

    private static boolean isInside(Node node, Element ancestor) {
        for (Node n = node.parentNode(); n != null; n = n.parentNode()) {
            if (n == ancestor) {
                return true;
            }
        }
        return false;
    }

    private static void addText(Node node, List<Object> out) {
        if (isText(node)) {
            out.add(node);
        }
    }

    private static void addAttribute(Node node, String name, List<Object> out) {
        if (node instanceof Element e && e.attributesSize() > 0 && e.attributes().hasKey(name)) {
            out.add(new AttrNode(e, name, e.attributes().get(name)));
        }
    }

    /**
     * Adds the direct text nodes of the matched elements in document order, as parsel's {@code
     * text()} step does even when matched elements nest.
     */
    private static void addDirectText(Element root, Elements matched, List<Object> out) {
        if (matched.size() == 1) {
            Element only = matched.get(0);
            for (Node child = only.firstChild(); child != null; child = child.nextSibling()) {
                addText(child, out);
            }
        } else if (!matched.isEmpty()) {
            Set<Element> owners = Collections.newSetFromMap(new IdentityHashMap<>());
            owners.addAll(matched);
            NodeTraversor.traverse(
                    (node, depth) -> {
                        if (owners.contains(node.parentNode())) {
                            addText(node, out);
                        }
                    },
                    root);
        }
    }

    /** A text node of the XPath data model: jsoup's whitespace around {@code <html>} is not one. */
    private static boolean isText(Node node) {
        return (node instanceof TextNode || node instanceof DataNode)
                && !(node.parentNode() instanceof Document);
    }
}
