package org.arachne.spider.yaml;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.arachne.http.Request;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads {@code login:}: {@code url}, {@code form}, {@code fields} (a value each, or {@code {env:
 * NAME}} for one taken from an environment variable) and {@code success} / {@code fail_if}. A
 * selector is a bare XPath or {@code {xpath: ...}} / {@code {css: ...}}. An environment variable
 * that is not set is a problem of the file, reported at its line without any value.
 */
final class LoginReader {
    static final List<String> KEYS = List.of("url", "form", "fields", "success", "fail_if");

    private static final List<String> SELECTOR_KEYS = List.of("xpath", "css");

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final YamlNodes nodes;
    private final SpiderValues values;
    private final ExpressionChecks checks;
    private final Map<String, String> environment;

    LoginReader(
            YamlNodes nodes,
            SpiderValues values,
            ExpressionChecks checks,
            Map<String, String> environment) {
        this.nodes = nodes;
        this.values = values;
        this.checks = checks;
        this.environment = environment;
    }

    /** The login; null when absent or after a problem. */
    @Nullable LoginDefinition read(@Nullable Node node) {
        if (node == null) {
            return null;
        }
        int before = nodes.count();
        Map<String, Node> keys = nodes.mapping(node, "login", KEYS);
        if (keys == null) {
            return null;
        }
        String url =
                values.requiredString(keys, node, "login", "url", "the page with the login form");
        if (url != null) {
            url = values.substituted(keys.get("url"), "login.url");
        }
        if (url != null) {
            try {
                Request.get(url);
            } catch (IllegalArgumentException e) {
                nodes.add(keys.get("url"), "login.url", String.valueOf(e.getMessage()));
            }
        }
        LoginDefinition.Selector form = selector(keys.get("form"), "login.form");
        List<LoginDefinition.Field> fields = fields(keys.get("fields"), node);
        LoginDefinition.Selector success = selector(keys.get("success"), "login.success");
        LoginDefinition.Selector failIf = selector(keys.get("fail_if"), "login.fail_if");
        if (!keys.containsKey("success") && !keys.containsKey("fail_if")) {
            nodes.add(
                    node,
                    "login.success",
                    "missing; give success (a selector that matches once logged in) or fail_if"
                            + " (one that matches when the login failed), or both");
        }
        if (url == null || nodes.count() > before) {
            return null;
        }
        return new LoginDefinition(url, form, fields, success, failIf);
    }

    private LoginDefinition.@Nullable Selector selector(@Nullable Node node, String path) {
        if (node == null) {
            return null;
        }
        SelectorType type = SelectorType.XPATH;
        Node expressionNode = node;
        String expressionPath = path;
        if (node instanceof MappingNode) {
            Map<String, Node> keys = nodes.mapping(node, path, SELECTOR_KEYS);
            if (keys == null) {
                return null;
            }
            if (keys.size() != 1) {
                nodes.add(node, path, "give one of xpath or css");
                return null;
            }
            String language = keys.keySet().iterator().next();
            type = language.equals("css") ? SelectorType.CSS : SelectorType.XPATH;
            expressionNode = keys.get(language);
            expressionPath = path + "." + language;
        }
        String expression = nodes.string(expressionNode, expressionPath);
        if (expression == null
                || !checks.selector(type, expressionNode, expressionPath, expression)) {
            return null;
        }
        return new LoginDefinition.Selector(type, expression);
    }

    private List<LoginDefinition.Field> fields(@Nullable Node node, Node login) {
        List<LoginDefinition.Field> fields = new ArrayList<>();
        if (node == null) {
            nodes.add(
                    login, "login.fields", "missing; give the fields to fill in, such as username");
            return fields;
        }
        for (YamlNodes.Entry e : nodes.entries(node, "login.fields")) {
            String name = e.key().substring("login.fields.".length());
            if (e.value() instanceof MappingNode) {
                LoginDefinition.Field field = fromEnvironment(name, e.value(), e.key());
                if (field != null) {
                    fields.add(field);
                }
            } else {
                String value = values.substituted(e.value(), e.key());
                if (value != null) {
                    fields.add(new LoginDefinition.Field(name, value, null));
                }
            }
        }
        return fields;
    }

    /** {@code {env: NAME}}: the value of that environment variable, which must be set. */
    private LoginDefinition.@Nullable Field fromEnvironment(String name, Node node, String path) {
        Map<String, Node> keys = nodes.mapping(node, path, List.of("env"));
        if (keys == null) {
            return null;
        }
        Node envNode = keys.get("env");
        if (envNode == null) {
            nodes.add(node, path, "give a value, or {env: NAME} to take it from a variable");
            return null;
        }
        String variable = nodes.string(envNode, path + ".env");
        if (variable == null) {
            return null;
        }
        if (!ENV_NAME.matcher(variable).matches()) {
            nodes.add(envNode, path + ".env", "'" + variable + "' is no environment variable name");
            return null;
        }
        String value = environment.get(variable);
        if (value == null) {
            nodes.add(
                    envNode,
                    path + ".env",
                    "the environment variable " + variable + " is not set; set it to the value");
            return null;
        }
        return new LoginDefinition.Field(name, value, variable);
    }
}
