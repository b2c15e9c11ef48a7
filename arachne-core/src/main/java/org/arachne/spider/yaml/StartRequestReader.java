package org.arachne.spider.yaml;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.arachne.http.Body;
import org.arachne.http.Headers;
import org.arachne.http.Request;
import org.arachne.internal.Suggestions;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads {@code start_requests:}, the start requests that need more than a GET of a URL: each with
 * {@code url}, {@code method}, {@code headers}, one body ({@code json:} any value, {@code form:} a
 * mapping, {@code body:} text), {@code callback} and {@code meta}. Arguments are substituted in the
 * URL, the header values and every string of the body. One instance per file.
 */
final class StartRequestReader {
    static final List<String> KEYS =
            List.of("url", "method", "headers", "json", "form", "body", "callback", "meta");

    private static final List<String> BODIES = List.of("json", "form", "body");

    /** An HTTP method is a token (RFC 9110); letters are what every server knows. */
    private static final Pattern METHOD = Pattern.compile("[A-Za-z]+");

    private final YamlNodes nodes;
    private final SpiderValues values;
    private final Map<String, Node> itemNames;

    StartRequestReader(YamlNodes nodes, SpiderValues values, Map<String, Node> itemNames) {
        this.nodes = nodes;
        this.values = values;
        this.itemNames = itemNames;
    }

    /** The requests of the list (empty when absent); item blocks must have been read. */
    List<Request> read(@Nullable Node node, String path) {
        List<Request> requests = new ArrayList<>();
        List<YamlNodes.Entry> entries = nodes.sequence(node, path);
        if (entries.isEmpty() && node instanceof SequenceNode) {
            nodes.add(node, path, "is empty; give at least one request, or leave the key out");
        }
        for (YamlNodes.Entry e : entries) {
            Request request = request(e.value(), e.key());
            if (request != null) {
                requests.add(request);
            }
        }
        return requests;
    }

    private @Nullable Request request(Node node, String path) {
        int before = nodes.count();
        Map<String, Node> keys = nodes.mapping(node, path, KEYS);
        if (keys == null) {
            return null;
        }
        String url = values.requiredString(keys, node, path, "url", "an absolute http(s) URL");
        if (url != null) {
            url = values.substituted(keys.get("url"), path + ".url");
        }
        List<String> bodies = BODIES.stream().filter(keys::containsKey).toList();
        if (bodies.size() > 1) {
            nodes.add(
                    keys.get(bodies.get(1)),
                    path + "." + bodies.get(1),
                    "a request has one body; give json, form or body, not "
                            + String.join(" and ", bodies));
        }
        String method = method(keys.get("method"), path + ".method", !bodies.isEmpty());
        Headers headers = headers(keys.get("headers"), path + ".headers");
        Body body = Body.EMPTY;
        String contentType = null;
        if (keys.containsKey("json")) {
            Object json = value(keys.get("json"), path + ".json");
            try {
                body = Body.json(json);
            } catch (IllegalArgumentException ex) {
                nodes.add(keys.get("json"), path + ".json", String.valueOf(ex.getMessage()));
            }
            contentType = "application/json";
        } else if (keys.containsKey("form")) {
            body = Body.form(form(keys.get("form"), path + ".form"));
            contentType = "application/x-www-form-urlencoded";
        } else if (keys.containsKey("body")) {
            String text = values.substituted(keys.get("body"), path + ".body");
            body = text == null ? Body.EMPTY : Body.utf8(text);
        }
        if (contentType != null && !headers.contains("Content-Type")) {
            headers = headers.with("Content-Type", contentType);
        }
        String callback = callback(keys.get("callback"), path + ".callback");
        Map<String, Object> meta = meta(keys.get("meta"), path + ".meta");
        if (url == null || nodes.count() > before) {
            return null;
        }
        try {
            return new Request(url, method, headers, body, 0, 0, false, callback, meta);
        } catch (IllegalArgumentException ex) {
            nodes.add(keys.get("url"), path + ".url", String.valueOf(ex.getMessage()));
            return null;
        }
    }

    /** The method, upper case; by default GET, or POST for a request with a body. */
    private String method(@Nullable Node node, String path, boolean hasBody) {
        if (node == null) {
            return hasBody ? "POST" : "GET";
        }
        String method = nodes.string(node, path);
        if (method != null && !METHOD.matcher(method).matches()) {
            nodes.add(node, path, "'" + method + "' is no HTTP method; give GET, POST, PUT, ...");
        }
        return method == null ? "GET" : method.toUpperCase(Locale.ROOT);
    }

    private Headers headers(@Nullable Node node, String path) {
        Headers headers = Headers.EMPTY;
        if (node == null) {
            return headers;
        }
        for (YamlNodes.Entry e : nodes.entries(node, path)) {
            String name = e.key().substring(path.length() + 1);
            String value = values.substituted(e.value(), e.key());
            if (value != null) {
                try {
                    headers = headers.with(name, value);
                } catch (IllegalArgumentException ex) {
                    nodes.add(e.keyNode(), e.key(), String.valueOf(ex.getMessage()));
                }
            }
        }
        return headers;
    }

    /** The fields of a form: a string each, or a list of strings for a field sent several times. */
    private Map<String, Object> form(Node node, String path) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (YamlNodes.Entry e : nodes.entries(node, path)) {
            String name = e.key().substring(path.length() + 1);
            if (e.value() instanceof SequenceNode) {
                List<String> list = new ArrayList<>();
                for (YamlNodes.Entry v : nodes.sequence(e.value(), e.key())) {
                    String s = values.substituted(v.value(), v.key());
                    if (s != null) {
                        list.add(s);
                    }
                }
                fields.put(name, list);
            } else {
                String s = values.substituted(e.value(), e.key());
                if (s != null) {
                    fields.put(name, s);
                }
            }
        }
        return fields;
    }

    private @Nullable String callback(@Nullable Node node, String path) {
        if (node == null) {
            return null;
        }
        String callback = nodes.string(node, path);
        if (callback == null || callback.equals("parse") || itemNames.containsKey(callback)) {
            return callback;
        }
        List<String> names = new ArrayList<>(List.of("parse"));
        names.addAll(itemNames.keySet());
        nodes.add(
                node,
                path,
                "unknown callback '"
                        + callback
                        + "'; give parse or the name of an item block"
                        + Suggestions.hint(callback, names));
        return null;
    }

    private Map<String, Object> meta(@Nullable Node node, String path) {
        if (node == null) {
            return Map.of();
        }
        if (!(node instanceof MappingNode)) {
            nodes.wrongType(node, path, "a mapping");
            return Map.of();
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> meta = (Map<String, Object>) value(node, path);
        return meta == null ? Map.of() : meta;
    }

    /**
     * The value a node writes, as JSON would have it: mappings (string keys, in order), lists,
     * strings (arguments substituted), whole numbers, decimals, booleans and null.
     */
    private @Nullable Object value(Node node, String path) {
        if (node instanceof MappingNode) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (YamlNodes.Entry e : nodes.entries(node, path)) {
                map.put(e.key().substring(path.length() + 1), value(e.value(), e.key()));
            }
            return map;
        }
        if (node instanceof SequenceNode) {
            List<Object> list = new ArrayList<>();
            for (YamlNodes.Entry e : nodes.sequence(node, path)) {
                list.add(value(e.value(), e.key()));
            }
            return list;
        }
        ScalarNode scalar = (ScalarNode) node;
        Tag tag = scalar.getTag();
        String text = scalar.getValue();
        if (tag.equals(Tag.NULL)) {
            return null;
        }
        if (tag.equals(Tag.BOOL)) {
            return nodes.bool(node, path);
        }
        try {
            if (tag.equals(Tag.INT)) {
                return new BigInteger(text.replace("_", ""));
            }
            if (tag.equals(Tag.FLOAT)) {
                return new BigDecimal(text.replace("_", ""));
            }
        } catch (NumberFormatException e) {
            // 0x1F, 0o17, .inf: written as YAML allows, sent as the text it is
        }
        return values.substituted(node, path);
    }
}
