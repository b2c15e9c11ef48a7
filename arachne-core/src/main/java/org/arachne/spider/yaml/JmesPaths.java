package org.arachne.spider.yaml;

import com.fasterxml.jackson.databind.JsonNode;
import io.burt.jmespath.Expression;
import io.burt.jmespath.JmesPathException;
import io.burt.jmespath.jackson.JacksonRuntime;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * JMESPath over Jackson's JSON tree (jmespath-java, {@code io.burt:jmespath-jackson}) for the JSON
 * parts of a spider file, and the texts a JSON value gives a field. Thread-safe: the runtime and
 * the compiled expressions hold no state between searches.
 */
final class JmesPaths {
    private static final JacksonRuntime RUNTIME = new JacksonRuntime();

    private JmesPaths() {}

    /**
     * The compiled expression.
     *
     * @throws JmesPathException when it is no valid JMESPath (a definition from {@link
     *     YamlSpiders#parse} has been checked already)
     */
    static Expression<JsonNode> compile(String expression) {
        return RUNTIME.compile(expression);
    }

    /** What is wrong with an expression, or null when it compiles. */
    static @Nullable String problem(String expression) {
        try {
            compile(expression);
            return null;
        } catch (JmesPathException e) {
            String message = String.valueOf(e.getMessage());
            int detail = message.indexOf("\": ");
            return "invalid JMESPath '"
                    + expression
                    + "': "
                    + (detail < 0 ? message : message.substring(detail + 3));
        }
    }

    /**
     * The elements of a result that an {@code each} gives one item or link scope per: an array's
     * elements (nulls skipped), nothing for null, else the value itself.
     */
    static List<JsonNode> elements(@Nullable JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return List.of();
        }
        if (!value.isArray()) {
            return List.of(value);
        }
        List<JsonNode> elements = new ArrayList<>();
        for (JsonNode element : value) {
            if (!element.isNull()) {
                elements.add(element);
            }
        }
        return elements;
    }

    /**
     * The texts of a result, as a selector's matches: a string as it is, a number as written (a
     * fraction exactly: {@code 12.50}), a boolean as {@code true} or {@code false}, an array the
     * texts of its elements (an object or array among them as JSON), an object its JSON; nothing
     * for null.
     */
    static List<String> texts(@Nullable JsonNode value) {
        List<String> texts = new ArrayList<>();
        for (JsonNode element : elements(value)) {
            texts.add(text(element));
        }
        return texts;
    }

    private static String text(JsonNode value) {
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isFloatingPointNumber()) {
            return value.decimalValue().toPlainString();
        }
        if (value.isValueNode()) {
            return value.asText();
        }
        return value.toString(); // an object, or an array inside the result
    }
}
