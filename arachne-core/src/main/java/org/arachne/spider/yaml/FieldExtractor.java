package org.arachne.spider.yaml;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.burt.jmespath.Expression;
import io.burt.jmespath.JmesPathException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.arachne.http.Response;
import org.arachne.middleware.RedirectPolicy;
import org.arachne.select.PythonRegex;
import org.arachne.select.Selection;
import org.arachne.url.Urls;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the value of one {@link FieldDefinition} in one scope (a node an {@code each} selected, or
 * the page), with its regex and processors compiled once: the source's texts, the regex applied to
 * each, the processors in order, then the type. Thread-safe: it holds no state between calls.
 */
final class FieldExtractor {
    private static final Logger LOG = LoggerFactory.getLogger(FieldExtractor.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Where a field looks: the page's response, an HTML node of it (for xpath and css) or a JSON
     * value of it (for jmespath), and that node's or value's source text (for a regex alone).
     */
    record Scope(
            Response response,
            @Nullable Selection node,
            @Nullable JsonNode json,
            Supplier<String> source) {

        /** An HTML node (the document for a whole page) and its source text. */
        static Scope html(Response response, Selection node, Supplier<String> source) {
            return new Scope(response, node, null, source);
        }

        /** A JSON value (the document for a whole page) and its source text. */
        static Scope json(Response response, JsonNode json, Supplier<String> source) {
            return new Scope(response, null, json, source);
        }
    }

    private final FieldDefinition field;
    private final @Nullable Pattern regex;
    private final @Nullable Expression<JsonNode> jmespath;
    private final List<UnaryOperator<List<String>>> processors = new ArrayList<>();

    FieldExtractor(FieldDefinition field) {
        this.field = field;
        this.regex = field.regex() == null ? null : PythonRegex.compile(field.regex());
        this.jmespath =
                field.selectorType() == SelectorType.JMESPATH && field.selector() != null
                        ? JmesPaths.compile(field.selector())
                        : null;
        for (FieldProcessor processor : field.processors()) {
            processors.add(processor.compile());
        }
    }

    FieldDefinition definition() {
        return field;
    }

    /**
     * The field's value in {@code scope}, or null when nothing was found. What went wrong is added
     * to {@code counts} as the stats key (under {@code spider/}) to count: a text that is not of
     * the field's type ({@link DeclarativeSpider#CONVERSION_FAILED}), a JMESPath that failed on
     * this JSON ({@link DeclarativeSpider#JMESPATH_FAILED}).
     */
    @Nullable Object value(Scope scope, List<String> counts) {
        List<String> texts = processed(texts(scope, counts));
        if (field.type() == FieldType.LIST) {
            List<String> all = new ArrayList<>();
            for (String text : texts) {
                if (!text.isBlank()) {
                    all.add(text.strip());
                }
            }
            return all.isEmpty() ? null : List.copyOf(all);
        }
        Response response = scope.response();
        for (String text : texts) {
            if (text.isBlank()) {
                continue;
            }
            if (field.type() != FieldType.URL) {
                Object converted = field.type().convert(text);
                if (converted == null) {
                    counts.add(DeclarativeSpider.CONVERSION_FAILED + field.name());
                    LOG.debug(
                            "dropped field {} of {}: '{}' is not a {}",
                            field.name(),
                            Urls.redacted(response.url()),
                            text.strip(),
                            field.type().yamlName());
                }
                return converted;
            }
            try {
                return response.urljoin(text.strip());
            } catch (IllegalArgumentException e) {
                LOG.debug(
                        "dropped field {} of {}: '{}' is not a URL: {}",
                        field.name(),
                        Urls.redacted(response.url()),
                        Urls.redacted(text),
                        e.getMessage());
                return null;
            }
        }
        return null;
    }

    /** The texts the processors give for the texts of the source (with its regex applied). */
    private List<String> processed(List<String> found) {
        List<String> texts = found;
        for (UnaryOperator<List<String>> processor : processors) {
            texts = processor.apply(texts);
        }
        return texts;
    }

    private List<String> texts(Scope scope, List<String> counts) {
        List<String> texts;
        if (field.constant() != null) {
            texts = List.of(field.constant());
        } else if (jmespath != null) {
            texts = jsonTexts(scope, counts);
        } else if (field.selector() != null && field.selectorType() != null) {
            Selection node = Objects.requireNonNull(scope.node(), "an HTML scope");
            texts = select(node, field.selectorType(), field.selector()).getAll();
        } else if (field.value() != null) {
            texts = pageTexts(field.value(), scope.response());
        } else {
            texts = List.of(scope.source().get());
        }
        return regex == null ? texts : matches(regex, texts);
    }

    private List<String> jsonTexts(Scope scope, List<String> counts) {
        try {
            return JmesPaths.texts(
                    Objects.requireNonNull(jmespath)
                            .search(Objects.requireNonNull(scope.json(), "a JSON scope")));
        } catch (JmesPathException e) {
            // a function given a value of another type than it takes, on this document
            counts.add(DeclarativeSpider.JMESPATH_FAILED + field.name());
            LOG.debug(
                    "dropped field {} of {}: JMESPath '{}' failed: {}",
                    field.name(),
                    Urls.redacted(scope.response().url()),
                    field.selector(),
                    e.getMessage());
            return List.of();
        }
    }

    /** The texts of a page value of this response. */
    private static List<String> pageTexts(PageValue value, Response response) {
        return switch (value.kind()) {
            case URL -> List.of(response.url());
            case REQUESTED_URL ->
                    response.meta(RedirectPolicy.REDIRECT_URLS) instanceof List<?> chain
                                    && !chain.isEmpty()
                            ? List.of(String.valueOf(chain.get(0)))
                            : List.of(response.url());
            case STATUS -> List.of(Integer.toString(response.status()));
            case HEADER -> response.headers().all(Objects.requireNonNull(value.name()));
            case META -> metaTexts(response.meta(Objects.requireNonNull(value.name())));
        };
    }

    /**
     * The texts of a meta value: a string as it is, a number or boolean as JSON writes it, a list
     * each of its elements, a map its JSON; nothing for null.
     */
    private static List<String> metaTexts(@Nullable Object meta) {
        if (meta == null) {
            return List.of();
        }
        if (meta instanceof List<?> list) {
            List<String> texts = new ArrayList<>();
            for (Object element : list) {
                if (element != null) {
                    texts.add(metaText(element));
                }
            }
            return texts;
        }
        return List.of(metaText(meta));
    }

    private static String metaText(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            // meta holds JSON-like values only (Request checks them), so this cannot happen
            throw new IllegalStateException("meta value is not JSON: " + e.getMessage(), e);
        }
    }

    /** The matches of an xpath or css selector in {@code scope}. */
    static Selection select(Selection scope, SelectorType type, String expr) {
        return switch (type) {
            case XPATH -> scope.xpath(expr);
            case CSS -> scope.css(expr);
            case JMESPATH -> throw new IllegalArgumentException("jmespath selects JSON, not HTML");
        };
    }

    /**
     * Applies a regex to each text as parsel's {@code re} does (see {@link Selection#re(Pattern)}).
     */
    private static List<String> matches(Pattern regex, List<String> texts) {
        List<String> out = new ArrayList<>();
        for (String text : texts) {
            out.addAll(Selection.ofText(text).re(regex));
        }
        return out;
    }
}
