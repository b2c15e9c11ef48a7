package org.arachne.spider.yaml;

import java.util.regex.PatternSyntaxException;
import org.arachne.select.Page;
import org.arachne.select.PythonRegex;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Checks the selectors and regexes of a spider file as they will run, and reports those that do not
 * compile as a {@link Problem} at their node. One instance per file, sharing its {@link YamlNodes}.
 */
final class ExpressionChecks {
    private static final Page EMPTY_PAGE = Page.parse("<html></html>", "http://localhost/");

    private final YamlNodes nodes;

    ExpressionChecks(YamlNodes nodes) {
        this.nodes = nodes;
    }

    /**
     * Whether {@code expr} compiles in {@code type}; reports it at {@code node} if not (with what
     * language it looks like, when it does), and warns when it compiles but looks like another
     * language ({@link WrongLanguage}).
     */
    boolean selector(SelectorType type, Node node, String path, String expr) {
        String problem = problem(type, expr);
        SelectorType other = WrongLanguage.looksLike(expr, type);
        boolean isOther = other != null && problem(other, expr) == null;
        if (problem != null) {
            nodes.add(
                    node,
                    path,
                    problem + (isOther ? WrongLanguage.hint(type, other, path, expr) : ""));
            return false;
        }
        if (isOther && type != SelectorType.JMESPATH) {
            // a JMESPath such as div.product is as likely a path in JSON as anything else
            nodes.warn(node, path, WrongLanguage.warning(type, other, path, expr));
        }
        return true;
    }

    /** Why {@code expr} does not compile in {@code type}; null when it does. */
    private static @Nullable String problem(SelectorType type, String expr) {
        if (type == SelectorType.JMESPATH) {
            return JmesPaths.problem(expr);
        }
        try {
            if (type == SelectorType.XPATH) {
                EMPTY_PAGE.xpath(expr);
            } else {
                EMPTY_PAGE.css(expr);
            }
            return null;
        } catch (IllegalArgumentException e) {
            // Jaxen reports a missing token at the end as "Unexpected ''"
            return String.valueOf(e.getMessage()).replace("Unexpected ''", "unexpected end");
        }
    }

    /** Whether {@code regex} compiles in Python's syntax; reports it at {@code node} if not. */
    boolean regex(Node node, String path, String regex) {
        try {
            PythonRegex.compile(regex);
            return true;
        } catch (PatternSyntaxException e) {
            nodes.add(
                    node,
                    path,
                    "invalid regex '"
                            + regex
                            + "': "
                            + e.getDescription()
                            + " at index "
                            + e.getIndex());
            return false;
        }
    }
}
