package org.arachne.select;

import java.util.ArrayList;
import java.util.List;
import org.jaxen.BaseXPath;
import org.jaxen.JaxenException;
import org.jaxen.XPathSyntaxException;
import org.jaxen.function.StringFunction;

/**
 * XPath 1.0 over jsoup nodes: each expression is compiled once by Jaxen and cached; a compiled
 * expression is safe to evaluate from many threads at once.
 */
final class XPaths {
    private static final BoundedCache<CompiledXPath> CACHE = new BoundedCache<>(1024);

    private XPaths() {}

    /**
     * Compiles {@code expr}, or takes it from the cache.
     *
     * @throws IllegalArgumentException naming the expression and the problem, if it is not XPath
     *     1.0
     */
    static CompiledXPath compile(String expr) {
        return CACHE.get(expr, XPaths::parse);
    }

    private static CompiledXPath parse(String expr) {
        try {
            return new CompiledXPath(expr);
        } catch (XPathSyntaxException e) {
            throw new IllegalArgumentException(
                    "invalid XPath '"
                            + expr
                            + "': "
                            + e.getMessage()
                            + " at position "
                            + e.getPosition(),
                    e);
        } catch (JaxenException e) {
            throw new IllegalArgumentException(
                    "invalid XPath '" + expr + "': " + e.getMessage(), e);
        }
    }

    /**
     * Evaluates {@code expr} with {@code context} (a jsoup node or an {@link AttrNode}) as the
     * context node. Node-set results are returned in document order as jsoup nodes and {@link
     * AttrNode}s; a string, number or boolean result is returned as one string, converted by
     * XPath's {@code string()} rules ({@code count()} of three gives {@code "3"}).
     *
     * @throws IllegalArgumentException if the expression is invalid or cannot be evaluated (an
     *     unknown function or namespace prefix)
     */
    static List<Object> select(String expr, Object context) {
        CompiledXPath xpath = compile(expr);
        List<?> raw;
        try {
            raw = xpath.selectNodes(context);
        } catch (JaxenException e) {
            throw new IllegalArgumentException(
                    "cannot evaluate XPath '" + expr + "': " + e.getMessage(), e);
        }
        List<Object> results = new ArrayList<>(raw.size());
        for (Object o : raw) {
            if (o instanceof Double || o instanceof Boolean) {
                results.add(StringFunction.evaluate(o, JsoupNavigator.INSTANCE));
            } else {
                results.add(o);
            }
        }
        return results;
    }

    /** A compiled expression whose shared evaluation support is built before it is published. */
    static final class CompiledXPath extends BaseXPath {
        CompiledXPath(String expr) throws JaxenException {
            super(expr, JsoupNavigator.INSTANCE);
            getContextSupport();
        }
    }
}
