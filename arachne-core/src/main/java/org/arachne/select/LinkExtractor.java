package org.arachne.select;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.arachne.url.Urls;
import org.jsoup.nodes.Attribute;
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
 * patterns to allow and deny, domains, extensions not to follow, regions of the page, which tags
 * and attributes hold links, a function over each value, and whether links are canonicalised and
 * made unique.
 *
 * <p>Each value is resolved against the page URL (or its {@code <base href>}), its query encoded in
 * the page's charset ({@link Page#charset()}); values that are not http(s) ({@code mailto:}, {@code
 * javascript:}, {@code tel:}, {@code data:}) or cannot be resolved are skipped (logged at debug
 * level), as are paths ending in one of {@code deny_extensions}. Duplicates (the same URL, exactly
 * as returned) are dropped, keeping the first in page order. Regions are visited in the order their
 * selectors were given.
 *
 * <p>Thread-safety: immutable once built (given a {@code processValue} function without state); one
 * extractor may serve all threads.
 */
public final class LinkExtractor {
    /**
     * Scrapy's {@code IGNORED_EXTENSIONS} ({@code scrapy.linkextractors}), the default of {@link
     * Builder#denyExtensions}: archives, images, audio, video, office documents and other files
     * that are not pages.
     */
    public static final List<String> IGNORED_EXTENSIONS =
            words(
                    "7z 7zip bz2 rar tar tar.gz xz zip", // archives
                    "mng pct bmp gif jpg jpeg png pst psp tif tiff ai drw dxf eps ps svg cdr ico"
                            + " webp", // images
                    "mp3 wma ogg wav ra aac mid au aiff", // audio
                    "3gp asf asx avi mov mp4 mpg qt rm swf wmv m4a m4v flv webm", // video
                    "xls xlsm xlsx xltm xltx potm potx ppt pptm pptx pps doc docb docm docx dotm"
                            + " dotx odt ods odg odp", // office suites
                    "css pdf exe bin rss dmg iso apk jar sh rb js hta bat cpl msi msp py"); // other

    // compiled once: String.split compiles a regex like this one on every call
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private static final Logger LOG = LoggerFactory.getLogger(LinkExtractor.class);

    private static List<String> words(String... lines) {
        List<String> words = new ArrayList<>();
        for (String line : lines) {
            words.addAll(List.of(line.split(" ")));
        }
        return List.copyOf(words);
    }

    private final List<Pattern> allow;
    private final List<Pattern> deny;
    private final List<String> allowDomains;
    private final List<String> denyDomains;
    private final List<String> restrictXpaths;
    private final List<Evaluator> restrictCss;
    private final @Nullable Set<String> tags;
    private final @Nullable List<String> attrs;
    private final Set<String> denyExtensions;
    private final boolean canonicalize;
    private final boolean unique;
    private final @Nullable Function<String, @Nullable String> processValue;

    private LinkExtractor(Builder b) {
        allow = b.allow == null ? List.of() : b.allow;
        deny = b.deny == null ? List.of() : b.deny;
        allowDomains = b.allowDomains == null ? List.of() : b.allowDomains;
        denyDomains = b.denyDomains == null ? List.of() : b.denyDomains;
        restrictXpaths = b.restrictXpaths == null ? List.of() : b.restrictXpaths;
        restrictCss = b.restrictCss == null ? List.of() : b.restrictCss;
        tags = b.tags == null ? Set.of("a", "area") : b.tags.contains("*") ? null : b.tags;
        attrs =
                b.attrs == null
                        ? List.of("href")
                        : b.attrs.contains("*") ? null : List.copyOf(b.attrs);
        denyExtensions =
                b.denyExtensions == null ? Set.copyOf(IGNORED_EXTENSIONS) : b.denyExtensions;
        canonicalize = b.canonicalize != null && b.canonicalize;
        unique = b.unique == null || b.unique;
        processValue = b.processValue;
    }

    /** A builder with Scrapy's defaults: all links of {@code <a>} and {@code <area>} hrefs. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The links of {@code page} that pass the filters, in page order, without duplicates unless
     * {@code unique} is false.
     *
     * @throws IllegalArgumentException if a restricting XPath cannot be evaluated on this page
     */
    public List<Link> extract(Page page) {
        return extract(page, regions(page));
    }

    /**
     * The links of {@code page} inside the elements of {@code within} (a selection of that page;
     * its other results are ignored) that pass the filters, in place of the regions of {@code
     * restrictXpaths} and {@code restrictCss}: a spider that needs to know which element holds each
     * link (the listing entry with its price) extracts from each element in turn.
     */
    public List<Link> extract(Page page, Selection within) {
        List<Element> regions = new ArrayList<>();
        for (Object item : within.items()) {
            if (item instanceof Element e) {
                regions.add(e);
            }
        }
        return extract(page, regions);
    }

    private List<Link> extract(Page page, List<Element> regions) {
        Extraction run = new Extraction(page.linkBaseUrl(), page.charset());
        for (Element region : regions) {
            NodeTraversor.traverse(
                    (node, depth) -> {
                        if (node instanceof Element e
                                && (tags == null || tags.contains(e.normalName()))) {
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
        private final Charset charset;
        // Raw attribute values already handled: a repeated href (thumbnail and title of one
        // item) would resolve to the same URL and be dropped, so skip the costly URL work.
        private final Set<String> seenValues = new HashSet<>();
        private final Set<String> seenUrls = new HashSet<>();
        private final List<Link> links = new ArrayList<>();

        Extraction(String base, Charset charset) {
            this.base = base;
            this.charset = charset;
        }

        void addLinks(Element e) {
            if (e.attributesSize() == 0) {
                return;
            }
            if (attrs == null) {
                for (Attribute attribute : e.attributes()) {
                    addLink(e, attribute.getValue());
                }
                return;
            }
            for (String attr : attrs) {
                if (e.attributes().hasKey(attr)) {
                    addLink(e, e.attributes().get(attr));
                }
            }
        }

        private void addLink(Element e, String value) {
            if (unique && !seenValues.add(value)) {
                return;
            }
            String href = value;
            if (processValue != null) {
                href = processValue.apply(Urls.join(base, value));
                if (href == null) {
                    return;
                }
            }
            String url;
            try {
                url = Urls.resolve(base, href, charset);
            } catch (IllegalArgumentException badUrl) {
                LOG.debug(
                        "skipping link '{}' on {}: {}",
                        Urls.redacted(href),
                        Urls.redacted(base),
                        badUrl.getMessage());
                return;
            }
            if (!Urls.isHttp(url) || !accepts(url)) {
                return;
            }
            if (canonicalize) {
                url = Urls.canonicalize(url);
            }
            if (!unique || seenUrls.add(url)) {
                links.add(new Link(url, e.text(), hasNofollow(e)));
            }
        }
    }

    /**
     * Whether an absolute http(s) URL passes this extractor's filters: {@code allow}, {@code deny},
     * {@code denyExtensions} and the domains. For links found elsewhere than in HTML (a URL in a
     * JSON response) that are to be filtered as the page's links are.
     */
    public boolean accepts(String url) {
        if (!allow.isEmpty() && allow.stream().noneMatch(p -> p.matcher(url).find())) {
            return false;
        }
        if (deny.stream().anyMatch(p -> p.matcher(url).find())) {
            return false;
        }
        if (hasDeniedExtension(url)) {
            return false;
        }
        if (allowDomains.isEmpty() && denyDomains.isEmpty()) {
            return true;
        }
        String host = host(url);
        return (allowDomains.isEmpty() || inDomains(host, allowDomains))
                && !inDomains(host, denyDomains);
    }

    /** Whether the URL's path ends with {@code .} and a denied extension, in any case (Scrapy). */
    private boolean hasDeniedExtension(String url) {
        if (denyExtensions.isEmpty()) {
            return false;
        }
        int pathStart = url.indexOf('/', url.indexOf("://") + 3);
        if (pathStart < 0) {
            return false;
        }
        int pathEnd = pathStart;
        while (pathEnd < url.length() && url.charAt(pathEnd) != '?' && url.charAt(pathEnd) != '#') {
            pathEnd++;
        }
        int segment = url.lastIndexOf('/', pathEnd - 1) + 1;
        for (int dot = url.indexOf('.', segment);
                dot >= 0 && dot < pathEnd;
                dot = url.indexOf('.', dot + 1)) {
            String extension = url.substring(dot + 1, pathEnd).toLowerCase(Locale.ROOT);
            if (denyExtensions.contains(extension)) {
                return true;
            }
        }
        return false;
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
        private @Nullable Set<String> denyExtensions;
        private @Nullable Boolean canonicalize;
        private @Nullable Boolean unique;
        private @Nullable Function<String, @Nullable String> processValue;

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
         * www.example.com}); case-insensitive, international names in either form ({@code
         * bücher.de} or {@code xn--bcher-kva.de}).
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
         * The tags that hold links; default {@code a} and {@code area}; {@code *} for every tag.
         * Case-insensitive.
         *
         * @throws IllegalArgumentException if none are given, or one is empty
         * @throws IllegalStateException if tags was already set
         */
        public Builder tags(String... names) {
            checkUnset("tags", tags);
            tags = Set.copyOf(lowerCased("tags", names));
            return this;
        }

        /**
         * The attributes that hold link URLs, tried in this order; default {@code href}; {@code *}
         * for every attribute, in the order the element has them. Case-insensitive.
         *
         * @throws IllegalArgumentException if none are given, or one is empty
         * @throws IllegalStateException if attrs was already set
         */
        public Builder attrs(String... names) {
            checkUnset("attrs", attrs);
            attrs = List.copyOf(lowerCased("attrs", names));
            return this;
        }

        /**
         * Drops links whose path ends with one of these extensions (case-insensitive; a leading dot
         * is optional; {@code tar.gz} works). Default: {@link #IGNORED_EXTENSIONS}, Scrapy's list
         * of files that are not pages; none given: every extension is followed.
         *
         * @throws IllegalArgumentException if one is empty
         * @throws IllegalStateException if denyExtensions was already set
         */
        public Builder denyExtensions(String... extensions) {
            checkUnset("denyExtensions", denyExtensions);
            Set<String> out = new HashSet<>();
            for (String extension : extensions) {
                String e = extension.strip().toLowerCase(Locale.ROOT);
                e = e.startsWith(".") ? e.substring(1) : e;
                if (e.isEmpty()) {
                    throw new IllegalArgumentException("denyExtensions: empty extension");
                }
                out.add(e);
            }
            denyExtensions = Set.copyOf(out);
            return this;
        }

        /**
         * Whether to return links in canonical form ({@link Urls#canonicalize}) rather than as
         * resolved; default false. Duplicates are the same URL as returned, so with false two
         * spellings of one page ({@code ?a=1&b=2}, {@code ?b=2&a=1}) are two links (the frontier
         * fetches one of them), as in Scrapy.
         *
         * @throws IllegalStateException if canonicalize was already set
         */
        public Builder canonicalize(boolean value) {
            checkUnset("canonicalize", canonicalize);
            canonicalize = value;
            return this;
        }

        /**
         * Whether duplicate links are dropped; default true. With false, a URL the page links to
         * twice is returned twice.
         *
         * @throws IllegalStateException if unique was already set
         */
        public Builder unique(boolean value) {
            checkUnset("unique", unique);
            unique = value;
            return this;
        }

        /**
         * A function over each value found, as Scrapy's {@code process_value}: it receives the
         * value resolved against the page, not yet percent-encoded (a value of another scheme, such
         * as {@code javascript:go('p.html')}, as it is), and returns the link to follow (resolved
         * in turn, so a relative one will do) or null to skip it. Runs before the other filters,
         * which see what it returns.
         *
         * @throws IllegalStateException if processValue was already set
         */
        public Builder processValue(Function<String, @Nullable String> function) {
            checkUnset("processValue", processValue);
            processValue = Objects.requireNonNull(function, "function");
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
                String domain = Urls.asciiHost(d);
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
                String lower = name.strip().toLowerCase(Locale.ROOT);
                if (lower.isEmpty()) {
                    throw new IllegalArgumentException(option + ": empty name");
                }
                out.add(lower);
            }
            return out;
        }
    }
}
