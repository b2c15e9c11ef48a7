package org.arachne.spider.yaml;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
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
 * @param each null, or a selector (in {@code selectorType}) of the elements links are taken from
 *     one at a time, in place of {@code restrictXpaths} and {@code restrictCss}: the element that
 *     holds each link, where {@code carry} is evaluated
 * @param selectorType the language of {@code each} and of carry fields written as a bare selector
 * @param carry fields evaluated on the element that holds each link (the page without {@code each})
 *     and put into the request's meta under their names, for the next page's {@code {value: meta}}
 *     fields (Scrapy's {@code cb_kwargs}); their names are unique
 * @param links for a rule that reads JSON ({@code selectorType} {@link SelectorType#JMESPATH},
 *     which needs it), the JMESPath of its links on each {@code each} value or the document: a URL
 *     or a list of them, relative ones resolved against the page; null for an HTML rule, which
 *     finds its links with the link extractor's options
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
        @Nullable ValueReplacement processValue,
        @Nullable String each,
        SelectorType selectorType,
        List<FieldDefinition> carry,
        @Nullable String links) {

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
        Objects.requireNonNull(selectorType, "selectorType");
        carry = List.copyOf(carry);
        if (each != null && !(restrictXpaths.isEmpty() && restrictCss.isEmpty())) {
            throw new IllegalArgumentException(
                    "a rule takes its links from each or from restrict_xpaths/restrict_css, not"
                            + " both");
        }
        if ((selectorType == SelectorType.JMESPATH) != (links != null)) {
            throw new IllegalArgumentException(
                    "a rule that reads JSON (selector: jmespath) finds its links with links:, and"
                            + " only such a rule");
        }
        if (links != null
                && !(restrictXpaths.isEmpty()
                        && restrictCss.isEmpty()
                        && tags.isEmpty()
                        && attrs.isEmpty()
                        && processValue == null)) {
            throw new IllegalArgumentException(
                    "restrict_xpaths, restrict_css, tags, attrs and process_value are HTML link"
                            + " options; a JSON rule takes its links from links:");
        }
        Set<String> names = new HashSet<>();
        for (FieldDefinition field : carry) {
            if (!names.add(field.name())) {
                throw new IllegalArgumentException(
                        "carried field '" + field.name() + "' is defined twice");
            }
        }
    }

    /** A rule that follows every link (inside the allowed domains), with Scrapy's defaults. */
    public static RuleDefinition followAll() {
        return new RuleDefinition(
                true,
                null,
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                null,
                true,
                false,
                null,
                null,
                SelectorType.XPATH,
                List.of(),
                null);
    }
}
