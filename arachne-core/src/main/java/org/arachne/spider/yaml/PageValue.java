package org.arachne.spider.yaml;

import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A field's value that comes from the response rather than from its content, {@code {value: url}}
 * or {@code {value: header, name: Last-Modified}} in YAML: the page's URL, the URL first requested,
 * the status, a response header or a request meta value (such as one a rule carried from the page
 * with the link). Immutable.
 *
 * @param name the header's or the meta key's name, for {@link Kind#HEADER} and {@link Kind#META}
 *     only
 */
public record PageValue(Kind kind, @Nullable String name) {

    /** What a page value reads. */
    public enum Kind {
        /** The page's URL: the final one, after any redirects (Scrapy's {@code response.url}). */
        URL,
        /**
         * The URL first requested, before any redirect (the first of meta {@code redirect_urls});
         * the page's URL when there was none.
         */
        REQUESTED_URL,
        /** The HTTP status code. */
        STATUS,
        /** Every value of the response header {@code name} (any case), in order. */
        HEADER,
        /** The request's meta value {@code name}; a list gives each of its elements. */
        META;

        /** The name used in YAML, such as {@code requested_url}. */
        public String yamlName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Whether the value needs a {@code name}: a header's or a meta key's. */
        public boolean named() {
            return this == HEADER || this == META;
        }
    }

    public PageValue {
        Objects.requireNonNull(kind, "kind");
        if (kind.named() != (name != null)) {
            throw new IllegalArgumentException(
                    "value "
                            + kind.yamlName()
                            + (kind.named() ? " needs a name" : " takes no name")
                            + ", got "
                            + name);
        }
        if (name != null && name.isBlank()) {
            throw new IllegalArgumentException("value " + kind.yamlName() + ": the name is blank");
        }
    }
}
