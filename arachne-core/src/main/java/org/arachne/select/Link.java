package org.arachne.select;

import java.util.Objects;

/**
 * A link found by {@link LinkExtractor}: its absolute URL, the text of the element that holds it
 * (whitespace collapsed, empty for an {@code <area>}), and whether that element has {@code
 * rel="nofollow"}.
 */
public record Link(String url, String text, boolean nofollow) {
    public Link {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(text, "text");
    }
}
