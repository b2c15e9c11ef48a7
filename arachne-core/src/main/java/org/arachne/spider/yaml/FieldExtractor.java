package org.arachne.spider.yaml;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    /** Where a field looks: the page's response, a node of it, and that node's source text. */
    record Scope(Response response, Selection node, Supplier<String> source) {}

    private final FieldDefinition field;
    private final @Nullable Pattern regex;
    private final List<UnaryOperator<List<String>>> processors = new ArrayList<>();

    FieldExtractor(FieldDefinition field) {
        this.field = field;
        this.regex = field.regex() == null ? null : PythonRegex.compile(field.regex());
        for (FieldProcessor processor : field.processors()) {
            processors.add(processor.compile());
        }
    }

    FieldDefinition definition() {
        return field;
    }

    /**
     * The field's value in {@code scope}, or null when nothing was found; the field's name is added
     * to {@code unconverted} when a text was found that is not of the field's type.
     */
    @Nullable Object value(Scope scope, List<String> unconverted) {
        List<String> texts = processed(texts(scope));
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
                    unconverted.add(field.name());
                    LOG.debug(
                            "field {}: '{}' on {} is not a {}",
                            field.name(),
                            text.strip(),
                            Urls.redacted(response.url()),
                            field.type().yamlName());
                }
                return converted;
            }
            try {
                return response.urljoin(text.strip());
            } catch (IllegalArgumentException e) {
                LOG.debug(
                        "field {}: '{}' on {} is not a URL: {}",
                        field.name(),
                        Urls.redacted(text),
                        Urls.redacted(response.url()),
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

    private List<String> texts(Scope scope) {
        List<String> texts;
        if (field.constant() != null) {
            texts = List.of(field.constant());
        } else if (field.selector() != null && field.selectorType() != null) {
            texts = select(scope.node(), field.selectorType(), field.selector()).getAll();
        } else if (field.value() != null) {
            texts = pageTexts(field.value(), scope.response());
        } else {
            texts = List.of(scope.source().get());
        }
        return regex == null ? texts : matches(regex, texts);
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

    static Selection select(Selection scope, SelectorType type, String expr) {
        return type == SelectorType.XPATH ? scope.xpath(expr) : scope.css(expr);
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
