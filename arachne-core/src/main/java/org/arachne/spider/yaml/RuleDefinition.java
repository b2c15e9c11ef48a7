package org.arachne.spider.yaml;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Which links of a page to request, as a Scrapy {@code CrawlSpider} rule: the links a link
 * extractor with these options finds (inside the spider's allowed domains, unless {@code
 * allowDomains} is given). Pages reached through the rule go to the item block named {@code
 * callback}, which gives their items, or, without a callback, to every item block that no rule
 * names. When {@code follow} is true, their links are followed in turn through the rules; when
 * false, they are leaves: their items are extracted, their links are not followed. Immutable.
 *
 * @param callback the name of the item block the rule's pages go to, or null; Scrapy's {@code
 *     Rule(callback=...)}, whose {@code follow} is false by default when it is given
 * @param allow regexes a link URL must match one of (none: every link)
 * @param deny regexes no link URL may match
 * @param tags tags that hold links, {@code *} for all (none: {@code a} and {@code area})
 * @param attrs attributes that hold links, {@code *} for all (none: {@code href})
 * @param denyExtensions extensions not followed; null for Scrapy's list ({@link
 *     org.arachne.select.LinkExtractor#IGNORED_EXTENSIONS}), empty for none
 * @param unique whether a link found twice is followed once (Scrapy's default, true)
 * @param canonicalize whether links are canonicalised (and so deduplicated as such)
 * @param processValue a rewrite of each value before it is resolved, or null
 */
public record RuleDefinition(
        boolean follow,
        @Nullable String callback,
        List<String> allow,
        List<String> deny,
        List<String> allowDomains,
        List<String> denyDomains,
        List<String> restrictXpaths,
        List<String> restrictCss,
        List<String> tags,
        List<String> attrs,
        @Nullable List<String> denyExtensions,
        boolean unique,
        boolean canonicalize,
        @Nullable ValueReplacement processValue) {

    public RuleDefinition {
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
        allowDomains = List.copyOf(allowDomains);
        denyDomains = List.copyOf(denyDomains);
        restrictXpaths = List.copyOf(restrictXpaths);
        restrictCss = List.copyOf(restrictCss);
        tags = List.copyOf(tags);
        attrs = List.copyOf(attrs);
        denyExtensions = denyExtensions == null ? null : List.copyOf(denyExtensions);
    }

    /** A rule that follows every link (inside the allowed domains), with Scrapy's defaults. */
    public static RuleDefinition followAll() {
        return new RuleDefinition(
                true, null, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(), List.of(), null, true, false, null);
    }
}
