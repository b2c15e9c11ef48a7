package org.arachne.spider;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.arachne.http.Request;
import org.arachne.select.PythonRegex;
import org.jspecify.annotations.Nullable;

/**
 * How a spider crawls from sitemaps, as Scrapy's {@code SitemapSpider} does: the sitemap URLs to
 * start from ({@code sitemap_urls}; a robots.txt URL stands for the sitemaps of its {@code
 * Sitemap:} lines), which callback each listed page goes to ({@code sitemap_rules}), which sitemaps
 * of an index or a robots.txt are followed ({@code sitemap_follow}) and whether alternate-language
 * links of an entry are crawled too ({@code sitemap_alternate_links}). Immutable; made with {@link
 * #builder()}; equal when built from equal options.
 *
 * <p>The engine reads sitemap responses itself: a sitemap request names the reserved callback
 * {@link #CALLBACK}, so that requests stay plain values that name their callback, and sitemaps go
 * through robots.txt, politeness, offsite filtering, deduplication and retries like any request.
 */
public final class Sitemaps {
    /**
     * The callback name of sitemap requests. The engine handles it; no Java method can have this
     * name, so it never hides a spider's callback.
     */
    public static final String CALLBACK = "arachne:sitemap";

    /** No sitemaps: a spider that crawls only from its start requests. */
    public static final Sitemaps NONE = builder().build();

    /**
     * One of {@code sitemap_rules}: pages whose URL {@code regex} (Python syntax, {@link
     * PythonRegex}) is found in (anywhere, as Python's {@code re.search}) go to the callback named
     * {@code callback}.
     */
    public record Rule(String regex, String callback) {
        public Rule {
            Objects.requireNonNull(regex, "regex");
            Objects.requireNonNull(callback, "callback");
        }
    }

    private final List<String> urls;
    private final List<Rule> rules;
    private final List<Pattern> rulePatterns;
    private final List<String> follow;
    private final List<Pattern> followPatterns;
    private final boolean alternateLinks;

    private Sitemaps(Builder b) {
        this.urls = List.copyOf(b.urls);
        this.rules = List.copyOf(b.rules);
        this.rulePatterns = rules.stream().map(r -> PythonRegex.compile(r.regex())).toList();
        this.follow = List.copyOf(b.follow);
        this.followPatterns = follow.stream().map(PythonRegex::compile).toList();
        this.alternateLinks = b.alternateLinks;
    }

    /** A builder with no sitemap URLs, no rules (every page to {@code parse}), following all. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A request for a sitemap (or a robots.txt listing sitemaps), to the engine's sitemap reader.
     * It asks for every HTTP status ({@code handle_httpstatus_all}), so that a sitemap that answers
     * 404 is counted as a sitemap error.
     *
     * @throws IllegalArgumentException if {@code url} is not an absolute http(s) URL
     */
    public static Request request(String url) {
        return Request.get(url, CALLBACK).withMeta("handle_httpstatus_all", true);
    }

    /** The sitemap and robots.txt URLs to start from. */
    public List<String> urls() {
        return urls;
    }

    /** The rules, in the order they are tried. */
    public List<Rule> rules() {
        return rules;
    }

    /** The regexes a nested sitemap URL must match one of; empty to follow every one. */
    public List<String> follow() {
        return follow;
    }

    /** Whether alternate-language links ({@code <xhtml:link rel="alternate">}) are crawled too. */
    public boolean alternateLinks() {
        return alternateLinks;
    }

    /** A {@link #request} for each of {@link #urls()}, in order. */
    public List<Request> requests() {
        return urls.stream().map(Sitemaps::request).toList();
    }

    /**
     * The callback of a page listed in a sitemap: that of the first rule whose regex is found in
     * {@code url}; {@code parse} when there are no rules; null when no rule matches (the page is
     * not crawled).
     */
    public @Nullable String callbackFor(String url) {
        if (rules.isEmpty()) {
            return "parse";
        }
        for (int i = 0; i < rules.size(); i++) {
            if (rulePatterns.get(i).matcher(url).find()) {
                return rules.get(i).callback();
            }
        }
        return null;
    }

    /** Whether a sitemap listed in an index or a robots.txt is followed. */
    public boolean follows(String sitemapUrl) {
        if (followPatterns.isEmpty()) {
            return true;
        }
        for (Pattern p : followPatterns) {
            if (p.matcher(sitemapUrl).find()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof Sitemaps o
                && urls.equals(o.urls)
                && rules.equals(o.rules)
                && follow.equals(o.follow)
                && alternateLinks == o.alternateLinks;
    }

    @Override
    public int hashCode() {
        return Objects.hash(urls, rules, follow, alternateLinks);
    }

    @Override
    public String toString() {
        return "Sitemaps[urls="
                + urls
                + ", rules="
                + rules
                + ", follow="
                + follow
                + ", alternateLinks="
                + alternateLinks
                + "]";
    }

    /**
     * Configures {@link Sitemaps}. Each call is checked at once and names its option in the error;
     * {@code urls}, {@code follow} and {@code alternateLinks} may be set once, {@code rule} is
     * called once per rule, in order.
     */
    public static final class Builder {
        private final List<String> urls = new ArrayList<>();
        private final List<Rule> rules = new ArrayList<>();
        private final List<String> follow = new ArrayList<>();
        private boolean alternateLinks;
        private final Set<String> set = new HashSet<>();

        private Builder() {}

        /**
         * The sitemap URLs to start from (sitemaps, sitemap indexes, or robots.txt URLs).
         *
         * @throws IllegalArgumentException naming {@code sitemap_urls[i]} if one is not an absolute
         *     http(s) URL
         */
        public Builder urls(List<String> sitemapUrls) {
            once("sitemap_urls");
            for (int i = 0; i < sitemapUrls.size(); i++) {
                String url = sitemapUrls.get(i);
                try {
                    Request.get(url);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            "sitemap_urls[" + i + "]: " + e.getMessage(), e);
                }
                urls.add(url);
            }
            return this;
        }

        /** {@link #urls(List)} of these URLs. */
        public Builder urls(String... sitemapUrls) {
            return urls(List.of(sitemapUrls));
        }

        /**
         * Adds a rule after the ones before: pages in whose URL {@code regex} is found go to the
         * spider callback {@code callback} (a method reference such as {@code this::parseBook}).
         *
         * @throws IllegalArgumentException if the regex does not compile, or the callback is not a
         *     method reference of a spider (see {@link Callbacks#nameOf(Callback)})
         */
        public Builder rule(String regex, Callback callback) {
            return rule(regex, Callbacks.nameOf(callback));
        }

        /**
         * Adds a rule with a callback given by name (a spider method, or what the spider's {@link
         * Spider#callback} resolves, such as a YAML spider's item blocks).
         *
         * @throws IllegalArgumentException naming {@code sitemap_rules[i]} if the regex does not
         *     compile or the name is blank
         */
        public Builder rule(String regex, String callback) {
            String option = "sitemap_rules[" + rules.size() + "]";
            checkRegex(option, regex);
            if (callback.isBlank()) {
                throw new IllegalArgumentException(option + ": the callback name is blank");
            }
            rules.add(new Rule(regex, callback));
            return this;
        }

        /**
         * Only sitemaps (of an index or a robots.txt) whose URL one of these regexes is found in
         * are followed; without this, all are.
         *
         * @throws IllegalArgumentException naming {@code sitemap_follow[i]} if a regex does not
         *     compile
         */
        public Builder follow(List<String> regexes) {
            once("sitemap_follow");
            for (int i = 0; i < regexes.size(); i++) {
                checkRegex("sitemap_follow[" + i + "]", regexes.get(i));
            }
            follow.addAll(regexes);
            return this;
        }

        /** {@link #follow(List)} of these regexes. */
        public Builder follow(String... regexes) {
            return follow(List.of(regexes));
        }

        /** Whether alternate-language links of each entry are crawled too (default false). */
        public Builder alternateLinks(boolean enabled) {
            once("sitemap_alternate_links");
            alternateLinks = enabled;
            return this;
        }

        public Sitemaps build() {
            return new Sitemaps(this);
        }

        private static void checkRegex(String option, String regex) {
            try {
                PythonRegex.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(
                        option
                                + ": invalid regex '"
                                + regex
                                + "': "
                                + e.getDescription()
                                + " at index "
                                + e.getIndex(),
                        e);
            }
        }

        private void once(String option) {
            if (!set.add(option)) {
                throw new IllegalStateException(option + " was already set");
            }
        }
    }
}
