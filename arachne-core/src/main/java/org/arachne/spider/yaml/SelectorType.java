package org.arachne.spider.yaml;

import java.util.Locale;

/** The language of a selector in a spider file. */
public enum SelectorType {
    /** XPath 1.0, as in Scrapy's {@code response.xpath}. */
    XPATH,
    /** CSS with parsel's {@code ::text} and {@code ::attr(name)}. */
    CSS;

    /** The name used in YAML: {@code xpath} or {@code css}. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
