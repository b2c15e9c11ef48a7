package org.arachne.spider.yaml;

import java.util.List;

/**
 * Which links of a page to request, as a Scrapy {@code CrawlSpider} rule: the links a link
 * extractor with these options finds (inside the spider's allowed domains, unless {@code
 * allowDomains} is given). When {@code follow} is true, pages reached through the rule have their
 * links followed in turn; when false, they are leaves: their items are extracted, their links are
 * not followed. Immutable.
 *
 * @param allow regexes a link URL must match one of (none: every link)
 * @param deny regexes no link URL may match
 */
public record RuleDefinition(
        boolean follow,
        List<String> allow,
        List<String> deny,
        List<String> allowDomains,
        List<String> denyDomains,
        List<String> restrictXpaths,
        List<String> restrictCss) {

    public RuleDefinition {
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
        allowDomains = List.copyOf(allowDomains);
        denyDomains = List.copyOf(denyDomains);
        restrictXpaths = List.copyOf(restrictXpaths);
        restrictCss = List.copyOf(restrictCss);
    }

    /** A rule that follows every link (inside the allowed domains). */
    public static RuleDefinition followAll() {
        return new RuleDefinition(
                true, List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
    }
}
