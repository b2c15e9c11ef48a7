package org.arachne.spider.yaml;

import java.util.Locale;

/** The language of a selector in a spider file. */
public enum SelectorType {
    /** XPath 1.0, as in Scrapy's {@code response.xpath}. */
    XPATH,
    /** CSS with parsel's {@code ::text} and {@code ::attr(name)}. */
    CSS,
    /** JMESPath over a JSON response ({@link org.arachne.http.Response#json()}). */
    JMESPATH;

    /** The name used in YAML: {@code xpath}, {@code css} or {@code jmespath}. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
