package org.arachne.spider.yaml;

import java.util.regex.PatternSyntaxException;
import org.arachne.select.Page;
import org.arachne.select.PythonRegex;
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

    /** Whether {@code expr} compiles in {@code type}; reports it at {@code node} if not. */
    boolean selector(SelectorType type, Node node, String path, String expr) {
        if (type == SelectorType.JMESPATH) {
            String problem = JmesPaths.problem(expr);
            if (problem != null) {
                nodes.add(node, path, problem);
            }
            return problem == null;
        }
        try {
            if (type == SelectorType.XPATH) {
                EMPTY_PAGE.xpath(expr);
            } else {
                EMPTY_PAGE.css(expr);
            }
            return true;
        } catch (IllegalArgumentException e) {
            // Jaxen reports a missing token at the end as "Unexpected ''"
            nodes.add(
                    node,
                    path,
                    String.valueOf(e.getMessage()).replace("Unexpected ''", "unexpected end"));
            return false;
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
