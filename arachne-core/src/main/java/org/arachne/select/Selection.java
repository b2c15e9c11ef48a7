package org.arachne.select;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.nodes.DataNode;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jspecify.annotations.Nullable;

/**
 * The ordered results of an XPath or CSS query, with the methods of parsel's {@code SelectorList}
 * so that selectors written for Scrapy carry over: chain {@link #xpath}/{@link #css}, then read
 * with {@link #get()}, {@link #getAll()} or {@link #re}.
 *
 * <p>A result is an element (or the document), a text node, a comment, an attribute, or a plain
 * string (the value of an XPath expression such as {@code count(//a)}). Its string value is: for an
 * element, its outer HTML (as in parsel); for a text node, its text; for an attribute, its value;
 * for a string, the string itself.
 *
 * <p>Thread-safety: immutable. Reading from several threads is safe as long as nobody modifies the
 * underlying jsoup document.
 */
public final class Selection implements Iterable<Selection> {
    private static final Selection EMPTY = new Selection(List.of());

    private final List<Object> items;

    private Selection(List<Object> items) {
        this.items = items;
    }

    /** A selection of the given results; the list must not be changed afterwards. */
    static Selection of(List<Object> items) {
        return items.isEmpty() ? EMPTY : new Selection(Collections.unmodifiableList(items));
    }

    static Selection single(Object item) {
        return new Selection(List.of(item));
    }

    /** A selection of one plain string, to run {@link #re} on text that is not a page. */
    public static Selection ofText(String text) {
        return single(text);
    }

    /** The results as jsoup nodes, {@link AttrNode}s and strings. */
    List<Object> items() {
        return items;
    }

    /**
     * Evaluates an XPath 1.0 expression with each result as the context node and concatenates the
     * results. Relative paths ({@code ./a/@href}, {@code .//p}, {@code h3/a}) start at each result;
     * {@code //x} searches the whole document, as in XPath. Results that are strings are skipped.
     *
     * @throws IllegalArgumentException naming the expression and the problem, if it is invalid or
     *     uses an unknown function; thrown even when this selection is empty
     */
    public Selection xpath(String expr) {
        XPaths.CompiledXPath compiled = XPaths.compile(expr);
        if (items.size() == 1) {
            Object item = items.get(0);
            return item instanceof String ? EMPTY : of(XPaths.select(compiled, item));
        }
        List<Object> out = new ArrayList<>();
        for (Object item : items) {
            if (!(item instanceof String)) {
                out.addAll(XPaths.select(compiled, item));
            }
        }
        return of(out);
    }

    /**
     * Matches a CSS query in each element result (the element itself included, as in parsel) and
     * concatenates the results. The query may end in {@code ::text} (direct text nodes of the
     * matched elements) or {@code ::attr(name)} (that attribute, where present). Results that are
     * not elements are skipped.
     *
     * @throws IllegalArgumentException naming the query and the problem, if it cannot be parsed;
     *     thrown even when this selection is empty
     */
    public Selection css(String query) {
        CssQuery compiled = CssQuery.compile(query);
        List<Object> out = new ArrayList<>();
        for (Object item : items) {
            if (item instanceof Element e) {
                compiled.select(e, out);
            }
        }
        return of(out);
    }

    /** The string value of the first result, or null when there is none. */
    public @Nullable String get() {
        return items.isEmpty() ? null : stringValue(items.get(0));
    }

    /** The string value of the first result, or {@code defaultValue} when there is none. */
    public String get(String defaultValue) {
        return items.isEmpty() ? defaultValue : stringValue(items.get(0));
    }

    /** The string values of all results, in order. */
    public List<String> getAll() {
        List<String> all = new ArrayList<>(items.size());
        for (Object item : items) {
            all.add(stringValue(item));
        }
        return all;
    }

    /**
     * The value of attribute {@code name} of the first element among the results, or null when no
     * result is an element or that element has no such attribute.
     */
    public @Nullable String attr(String name) {
        for (Object item : items) {
            if (item instanceof Element e) {
                return e.attributesSize() > 0 && e.attributes().hasKey(name)
                        ? e.attributes().get(name)
                        : null;
            }
        }
        return null;
    }

    /**
     * The text of all results joined by spaces, with runs of whitespace collapsed and the ends
     * trimmed: an element contributes its visible text (jsoup's {@link Element#text()}), other
     * results their string value. Empty when there are no results.
     */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (Object item : items) {
            sb.append(item instanceof Element e ? e.text() : stringValue(item)).append(' ');
        }
        return collapseWhitespace(sb);
    }

    /**
     * Applies {@code regex} to the string value of each result and returns what parsel's {@code re}
     * returns: when the regex has a group named {@code extract}, that group of the first match in
     * each result (nothing for a result whose first match leaves the group out); otherwise every
     * match, as Python's {@code findall}: the whole match when the regex has no groups, else all
     * its groups in order (a group that took no part gives ""). The regex is in Python's syntax and
     * Unicode-aware, as {@link PythonRegex} compiles it.
     *
     * @throws java.util.regex.PatternSyntaxException if the regex is invalid
     */
    public List<String> re(String regex) {
        return re(PythonRegex.compile(regex));
    }

    /**
     * As {@link #re(String)}, with a compiled pattern, used as it is: compile it with {@link
     * PythonRegex#compile} for Python's syntax and Unicode classes.
     */
    public List<String> re(Pattern pattern) {
        List<String> out = new ArrayList<>();
        collectMatches(pattern, out, Integer.MAX_VALUE);
        return out;
    }

    /**
     * The first string {@link #re(String)} would return, or null when there is none; stops at the
     * first match.
     *
     * @throws java.util.regex.PatternSyntaxException if the regex is invalid
     */
    public @Nullable String reFirst(String regex) {
        return reFirst(PythonRegex.compile(regex));
    }

    /**
     * The first string {@link #re(String)} would return, or {@code defaultValue} when there is
     * none: parsel's {@code re_first(regex, default)}.
     *
     * @throws java.util.regex.PatternSyntaxException if the regex is invalid
     */
    public String reFirst(String regex, String defaultValue) {
        String first = reFirst(regex);
        return first == null ? defaultValue : first;
    }

    /** As {@link #reFirst(String)}, with a compiled pattern. */
    public @Nullable String reFirst(Pattern pattern) {
        List<String> out = new ArrayList<>(1);
        collectMatches(pattern, out, 1);
        return out.isEmpty() ? null : out.get(0);
    }

    private void collectMatches(Pattern pattern, List<String> out, int limit) {
        Integer extract = pattern.namedGroups().get("extract");
        for (Object item : items) {
            Matcher m = pattern.matcher(stringValue(item));
            if (extract != null) {
                // parsel searches once per result: only the first match counts
                if (m.find() && m.group(extract) != null) {
                    out.add(m.group(extract));
                }
            } else {
                while (m.find() && out.size() < limit) {
                    if (m.groupCount() == 0) {
                        out.add(m.group());
                    } else {
                        for (int g = 1; g <= m.groupCount(); g++) {
                            out.add(orEmpty(m.group(g)));
                        }
                    }
                }
            }
            if (out.size() >= limit) {
                return;
            }
        }
    }

    private static String orEmpty(@Nullable String s) {
        return s == null ? "" : s;
    }

    /** The number of results. */
    public int size() {
        return items.size();
    }

    /** Whether there are no results. */
    public boolean isEmpty() {
        return items.isEmpty();
    }

    /**
     * The results that are elements (or the document), as jsoup elements, in order; text nodes,
     * attributes and strings are left out. For code that needs the element itself, such as {@link
     * org.arachne.http.Forms} a form's controls.
     */
    public List<Element> elements() {
        List<Element> elements = new ArrayList<>();
        for (Object item : items) {
            if (item instanceof Element element) {
                elements.add(element);
            }
        }
        return elements;
    }

    /** One selection per result, in order: the Java form of parsel's {@code for sel in list}. */
    public List<Selection> nodes() {
        List<Selection> nodes = new ArrayList<>(items.size());
        for (Object item : items) {
            nodes.add(single(item));
        }
        return nodes;
    }

    /** Iterates over {@link #nodes()}. */
    @Override
    public Iterator<Selection> iterator() {
        return nodes().iterator();
    }

    /** The string value of one result, as documented on the class. */
    static String stringValue(Object item) {
        if (item instanceof String s) {
            return s;
        }
        if (item instanceof AttrNode a) {
            return a.value();
        }
        if (item instanceof TextNode t) {
            return t.getWholeText();
        }
        if (item instanceof DataNode d) {
            return d.getWholeData();
        }
        return ((Node) item).outerHtml();
    }

    private static String collapseWhitespace(CharSequence s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean pendingSpace = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || c == '\u00a0') {
                pendingSpace = sb.length() > 0;
            } else {
                if (pendingSpace) {
                    sb.append(' ');
                    pendingSpace = false;
                }
                sb.append(c);
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "Selection" + getAll();
    }
}
