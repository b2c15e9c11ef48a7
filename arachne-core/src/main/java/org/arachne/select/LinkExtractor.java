package org.arachne.select;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.arachne.url.Urls;
import org.jsoup.nodes.Element;
import org.jsoup.select.Evaluator;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.QueryParser;
import org.jsoup.select.Selector;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the links of a page to follow, with the options of Scrapy's {@code LinkExtractor}: URL
 * patterns to allow and deny, domains, regions of the page, and which tags and attributes hold
 * links.
 *
 * <p>Each link is resolved against the page URL (or its {@code <base href>}); links that are not
 * http(s) ({@code mailto:}, {@code javascript:}, {@code tel:}, {@code data:}) or cannot be resolved
 * are skipped, and duplicates (same canonical form, see {@link Urls#canonicalize}) are dropped,
 * keeping the first in page order. Regions are visited in the order their selectors were given.
 *
 * <p>Thread-safety: immutable once built; one extractor may serve all threads.
 */
public final class LinkExtractor {
    // compiled once: String.split compiles a regex like this one on every call
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private static final Logger LOG = LoggerFactory.getLogger(LinkExtractor.class);

    private final List<Pattern> allow;
    private final List<Pattern> deny;
    private final List<String> allowDomains;
    private final List<String> denyDomains;
    private final List<String> restrictXpaths;
    private final List<Evaluator> restrictCss;
    private final Set<String> tags;
    private final List<String> attrs;
    private final boolean canonicalize;

    private LinkExtractor(Builder b) {
        allow = b.allow == null ? List.of() : b.allow;
        deny = b.deny == null ? List.of() : b.deny;
        allowDomains = b.allowDomains == null ? List.of() : b.allowDomains;
        denyDomains = b.denyDomains == null ? List.of() : b.denyDomains;
        restrictXpaths = b.restrictXpaths == null ? List.of() : b.restrictXpaths;
        restrictCss = b.restrictCss == null ? List.of() : b.restrictCss;
        tags = b.tags == null ? Set.of("a", "area") : b.tags;
        attrs = b.attrs == null ? List.of("href") : b.attrs;
        canonicalize = b.canonicalize != null && b.canonicalize;
    }

    /** A builder with Scrapy's defaults: all links of {@code <a>} and {@code <area>} hrefs. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The links of {@code page} that pass the filters, in page order, without duplicates.
     *
     * @throws IllegalArgumentException if a restricting XPath cannot be evaluated on this page
     */
    public List<Link> extract(Page page) {
        Extraction run = new Extraction(page.linkBaseUrl());
        for (Element region : regions(page)) {
            NodeTraversor.traverse(
                    (node, depth) -> {
                        if (node instanceof Element e && tags.contains(e.normalName())) {
                            run.addLinks(e);
                        }
                    },
                    region);
        }
        return run.links;
    }

    private List<Element> regions(Page page) {
        if (restrictXpaths.isEmpty() && restrictCss.isEmpty()) {
            return List.of(page.document());
        }
        List<Element> regions = new ArrayList<>();
        for (String xpath : restrictXpaths) {
            for (Object item : page.xpath(xpath).items()) {
                if (item instanceof Element e) {
                    regions.add(e);
                }
            }
        }
        for (Evaluator css : restrictCss) {
            regions.addAll(page.document().select(css));
        }
        return regions;
    }

    /** The state of one {@link #extract} call. */
    private final class Extraction {
        private final String base;
        // Raw attribute values already handled: a repeated href (thumbnail and title of one
        // item) would resolve to the same URL and be dropped, so skip the costly URL work.
        private final Set<String> seenValues = new HashSet<>();
        private final Set<String> seenCanonical = new HashSet<>();
        private final List<Link> links = new ArrayList<>();

        Extraction(String base) {
            this.base = base;
        }

        void addLinks(Element e) {
            if (e.attributesSize() == 0) {
                return;
            }
            for (String attr : attrs) {
                if (e.attributes().hasKey(attr) && seenValues.add(e.attributes().get(attr))) {
                    addLink(e, e.attributes().get(attr));
                }
            }
        }

        private void addLink(Element e, String value) {
            String resolved;
            String canonical;
            try {
                resolved = Urls.resolve(base, value);
                if (!Urls.isHttp(resolved)) {
                    return;
                }
                canonical = Urls.canonicalize(resolved);
            } catch (IllegalArgumentException badUrl) {
                LOG.debug("skipping link '{}' on {}: {}", value, base, badUrl.getMessage());
                return;
            }
            String url = canonicalize ? canonical : resolved;
            if (accepts(url) && seenCanonical.add(canonical)) {
                links.add(new Link(url, e.text(), hasNofollow(e)));
            }
        }
    }

    private boolean accepts(String url) {
        if (!allow.isEmpty() && allow.stream().noneMatch(p -> p.matcher(url).find())) {
            return false;
        }
        if (deny.stream().anyMatch(p -> p.matcher(url).find())) {
            return false;
        }
        if (allowDomains.isEmpty() && denyDomains.isEmpty()) {
            return true;
        }
        String host = host(url);
        return (allowDomains.isEmpty() || inDomains(host, allowDomains))
                && !inDomains(host, denyDomains);
    }

    private static boolean inDomains(String host, List<String> domains) {
        for (String d : domains) {
            if (host.equals(d)
                    || host.length() > d.length()
                            && host.endsWith(d)
                            && host.charAt(host.length() - d.length() - 1) == '.') {
                return true;
            }
        }
        return false;
    }

    /** The lower-cased host of an absolute http(s) URL, without user info and port. */
    static String host(String url) {
        int start = url.indexOf("://") + 3;
        int end = start;
        while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        String authority = url.substring(start, end);
        authority = authority.substring(authority.lastIndexOf('@') + 1);
        int portColon =
                authority.startsWith("[")
                        ? authority.indexOf(':', authority.indexOf(']'))
                        : authority.indexOf(':');
        String host = portColon < 0 ? authority : authority.substring(0, portColon);
        return host.toLowerCase(Locale.ROOT);
    }

    private static boolean hasNofollow(Element e) {
        String rel = e.attributes().get("rel");
        if (rel.isEmpty()) {
            return false; // most links: no rel at all
        }
        for (String token : WHITESPACE.split(rel)) {
            if (token.equalsIgnoreCase("nofollow")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Configures a {@link LinkExtractor}. Each option may be set once; invalid values fail at the
     * call that sets them, naming the option.
     */
    public static final class Builder {
        private @Nullable List<Pattern> allow;
        private @Nullable List<Pattern> deny;
        private @Nullable List<String> allowDomains;
        private @Nullable List<String> denyDomains;
        private @Nullable List<String> restrictXpaths;
        private @Nullable List<Evaluator> restrictCss;
        private @Nullable Set<String> tags;
        private @Nullable List<String> attrs;
        private @Nullable Boolean canonicalize;

        private Builder() {}

        /**
         * Keeps only links whose URL matches (a Python-syntax regex, {@link PythonRegex}; {@code
         * find()}, like Scrapy's {@code re.search}) at least one of these; none given means all.
         *
         * @throws IllegalArgumentException if a regex is invalid
         * @throws IllegalStateException if allow was already set
         */
        public Builder allow(String... regexes) {
            checkUnset("allow", allow);
            allow = patterns("allow", regexes);
            return this;
        }

        /**
         * Drops links whose URL matches any of these; deny wins over allow.
         *
         * @throws IllegalArgumentException if a regex is invalid
         * @throws IllegalStateException if deny was already set
         */
        public Builder deny(String... regexes) {
            checkUnset("deny", deny);
            deny = patterns("deny", regexes);
            return this;
        }

        /**
         * Keeps only links to these hosts or their subdomains ({@code example.com} admits {@code
         * www.example.com}); case-insensitive.
         *
         * @throws IllegalStateException if allowDomains was already set
         */
        public Builder allowDomains(String... domains) {
            checkUnset("allowDomains", allowDomains);
            allowDomains = domains("allowDomains", domains);
            return this;
        }

        /**
         * Drops links to these hosts or their subdomains.
         *
         * @throws IllegalStateException if denyDomains was already set
         */
        public Builder denyDomains(String... domains) {
            checkUnset("denyDomains", denyDomains);
            denyDomains = domains("denyDomains", domains);
            return this;
        }

        /**
         * Takes links only inside the elements these XPath expressions select (the elements
         * themselves included); combines with {@link #restrictCss}.
         *
         * @throws IllegalArgumentException if an expression is invalid
         * @throws IllegalStateException if restrictXpaths was already set
         */
        public Builder restrictXpaths(String... xpaths) {
            checkUnset("restrictXpaths", restrictXpaths);
            for (String xpath : xpaths) {
                try {
                    XPaths.compile(xpath);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("restrictXpaths: " + e.getMessage(), e);
                }
            }
            restrictXpaths = List.of(xpaths);
            return this;
        }

        /**
         * Takes links only inside the elements these CSS queries select (no pseudo-elements).
         *
         * @throws IllegalArgumentException if a query is invalid
         * @throws IllegalStateException if restrictCss was already set
         */
        public Builder restrictCss(String... queries) {
            checkUnset("restrictCss", restrictCss);
            List<Evaluator> evaluators = new ArrayList<>();
            for (String query : queries) {
                try {
                    evaluators.add(QueryParser.parse(query));
                } catch (IllegalArgumentException | Selector.SelectorParseException e) {
                    throw new IllegalArgumentException(
                            "restrictCss: invalid CSS query '" + query + "': " + e.getMessage(), e);
                }
            }
            restrictCss = List.copyOf(evaluators);
            return this;
        }

        /**
         * The tags that hold links; default {@code a} and {@code area}. Case-insensitive.
         *
         * @throws IllegalArgumentException if none are given
         * @throws IllegalStateException if tags was already set
         */
        public Builder tags(String... names) {
            checkUnset("tags", tags);
            tags = Set.copyOf(lowerCased("tags", names));
            return this;
        }

        /**
         * The attributes that hold link URLs, tried in this order; default {@code href}.
         *
         * @throws IllegalArgumentException if none are given
         * @throws IllegalStateException if attrs was already set
         */
        public Builder attrs(String... names) {
            checkUnset("attrs", attrs);
            attrs = List.copyOf(lowerCased("attrs", names));
            return this;
        }

        /**
         * Whether to return links in canonical form ({@link Urls#canonicalize}) rather than as
         * resolved; default false. Deduplication always uses the canonical form.
         *
         * @throws IllegalStateException if canonicalize was already set
         */
        public Builder canonicalize(boolean value) {
            checkUnset("canonicalize", canonicalize);
            canonicalize = value;
            return this;
        }

        /** An extractor with the options set so far and the defaults for the others. */
        public LinkExtractor build() {
            return new LinkExtractor(this);
        }

        private static void checkUnset(String option, @Nullable Object current) {
            if (current != null) {
                throw new IllegalStateException(option + " was already set");
            }
        }

        private static List<Pattern> patterns(String option, String[] regexes) {
            List<Pattern> patterns = new ArrayList<>(regexes.length);
            for (String regex : regexes) {
                try {
                    patterns.add(PythonRegex.compile(regex));
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException(
                            option + ": invalid regex '" + regex + "': " + e.getDescription(), e);
                }
            }
            return List.copyOf(patterns);
        }

        private static List<String> domains(String option, String[] domains) {
            List<String> out = new ArrayList<>(domains.length);
            for (String d : domains) {
                String domain = d.strip().toLowerCase(Locale.ROOT);
                if (domain.startsWith(".")) {
                    domain = domain.substring(1);
                }
                if (domain.isEmpty()) {
                    throw new IllegalArgumentException(option + ": empty domain");
                }
                out.add(domain);
            }
            return List.copyOf(out);
        }

        private static Set<String> lowerCased(String option, String[] names) {
            if (names.length == 0) {
                throw new IllegalArgumentException(option + ": at least one name is needed");
            }
            Set<String> out = new LinkedHashSet<>();
            for (String name : names) {
                out.add(name.strip().toLowerCase(Locale.ROOT));
            }
            return out;
        }
    }
}
