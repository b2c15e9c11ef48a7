package org.arachne.select;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.nodes.DataNode;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.Evaluator;
import org.jsoup.select.QueryParser;
import org.jsoup.select.Selector;
import org.jspecify.annotations.Nullable;

/**
 * A CSS query compiled for jsoup, with parsel's pseudo-elements: {@code ::text} (the direct text
 * nodes of each matched element) and {@code ::attr(name)} (that attribute of each matched element).
 * A pseudo-element ends a comma-separated group; a group that is only a pseudo-element applies to
 * every element ({@code *}), as in parsel.
 *
 * <p>Neighbouring groups with the same pseudo-element are matched together, in document order;
 * groups with different pseudo-elements are matched one after the other and their results
 * concatenated.
 */
final class CssQuery {
    private static final BoundedCache<CssQuery> CACHE = new BoundedCache<>(1024);
    private static final Pattern PSEUDO =
            Pattern.compile("::(?:(text)|attr\\(\\s*(['\"]?)([^'\")]+)\\2\\s*\\))\\s*$");

    /** One selector with at most one pseudo-element; {@code attr} is null unless it is ::attr. */
    private record Part(Evaluator evaluator, boolean text, @Nullable String attr) {}

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
        List<String> bases = new ArrayList<>();
        List<String> pseudos = new ArrayList<>();
        for (String group : splitGroups(query)) {
            String g = group.strip();
            Matcher m = PSEUDO.matcher(g);
            String pseudo = "";
            if (m.find()) {
                pseudo =
                        m.group(1) != null
                                ? "text"
                                : "attr:" + m.group(3).strip().toLowerCase(Locale.ROOT);
                g = g.substring(0, m.start()).strip();
            } else if (g.contains("::")) {
                throw new IllegalArgumentException(
                        "invalid CSS query '"
                                + query
                                + "': only ::text and ::attr(name) pseudo-elements are"
                                + " supported, at the end of a selector");
            }
            bases.add(g.isEmpty() ? "*" : g);
            pseudos.add(pseudo);
        }
        List<Part> parts = new ArrayList<>();
        int i = 0;
        while (i < bases.size()) {
            int j = i + 1;
            while (j < bases.size() && pseudos.get(j).equals(pseudos.get(i))) {
                j++;
            }
            String pseudo = pseudos.get(i);
            Evaluator evaluator = evaluator(query, String.join(", ", bases.subList(i, j)));
            parts.add(
                    new Part(
                            evaluator,
                            pseudo.equals("text"),
                            pseudo.startsWith("attr:") ? pseudo.substring(5) : null));
            i = j;
        }
        return new CssQuery(List.copyOf(parts));
    }

    private static Evaluator evaluator(String query, String css) {
        try {
            return QueryParser.parse(css);
        } catch (IllegalArgumentException | Selector.SelectorParseException e) {
            throw new IllegalArgumentException(
                    "invalid CSS query '" + query + "': " + e.getMessage(), e);
        }
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
        for (Part part : parts) {
            for (Element e : root.select(part.evaluator())) {
                if (part.text()) {
                    for (Node child : e.childNodes()) {
                        if (child instanceof TextNode || child instanceof DataNode) {
                            out.add(child);
                        }
                    }
                } else if (part.attr() != null) {
                    String name = part.attr();
                    if (e.attributesSize() > 0 && e.attributes().hasKey(name)) {
                        out.add(new AttrNode(e, name, e.attributes().get(name)));
                    }
                } else {
                    out.add(e);
                }
            }
        }
    }
}
