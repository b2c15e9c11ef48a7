package org.arachne.spider.yaml;

import java.util.List;
import java.util.Objects;
import org.arachne.http.Request;
import org.jspecify.annotations.Nullable;

/**
 * A spider file's {@code login:}: the page with the login form, which form, the fields to fill in,
 * and how to tell that the login worked. Immutable; its {@code toString} never shows a field's
 * value.
 *
 * @param url the page with the form, fetched first
 * @param form the form to submit (or an element inside it); null for the page's first form
 * @param fields the fields filled in, in order, over the form's own values
 * @param success a selector that must match on the page after logging in, or null
 * @param failIf a selector that must not match there (an error message), or null; one of the two is
 *     given at least
 */
public record LoginDefinition(
        String url,
        @Nullable Selector form,
        List<Field> fields,
        @Nullable Selector success,
        @Nullable Selector failIf) {

    public LoginDefinition {
        Request.get(Objects.requireNonNull(url, "url"));
        fields = List.copyOf(fields);
        if (success == null && failIf == null) {
            throw new IllegalArgumentException(
                    "a login needs success or fail_if, so that a failed one is not taken for one");
        }
    }

    /** An XPath or CSS selector, as written in the file. */
    public record Selector(SelectorType type, String expression) {
        public Selector {
            Objects.requireNonNull(expression, "expression");
            if (type == SelectorType.JMESPATH) {
                throw new IllegalArgumentException("a login reads HTML: give xpath or css");
            }
        }

        @Override
        public String toString() {
            return type.yamlName() + " " + expression;
        }
    }

    /**
     * One field of the form and its value.
     *
     * @param environment the environment variable the value was read from, or null for a value
     *     written in the file
     */
    public record Field(String name, String value, @Nullable String environment) {
        public Field {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }

        /** The name and where the value came from, never the value: it may be a password. */
        @Override
        public String toString() {
            return name + "=" + (environment == null ? "***" : "${env " + environment + "}");
        }
    }
}
