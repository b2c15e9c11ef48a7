package org.arachne.spider.yaml;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.arachne.http.Request;
import org.arachne.spider.Sitemaps;
import org.arachne.url.Urls;
import org.jspecify.annotations.Nullable;

/**
 * A spider as a YAML file describes it: where to start, which links to follow, which items to
 * extract. Immutable; built by {@link YamlSpiders#parse} (which reports located errors) or
 * directly.
 *
 * @param startUrls absolute http(s) URLs; at least one, unless {@code sitemaps} has URLs
 * @param sitemaps the sitemaps to crawl from ({@code sitemap_urls} and the other {@code sitemap_}
 *     keys); {@link Sitemaps#NONE} for none
 * @param allowedDomains domains the crawl stays inside (subdomains included); empty for no limit
 * @param settings setting values as written in the file: strings, lists of strings, or maps of
 *     strings, in file order
 * @param output the default output file (its extension picks the format) and whether a run
 *     overwrites or appends to it, or null
 * @param startRequests start requests beyond a GET of a URL ({@code start_requests}: method,
 *     headers, body, callback, meta), sent after those of {@code startUrls}
 * @param login the login the crawl does before its start requests ({@code login}), or null
 * @param pipelines item pipelines named by class ({@code pipelines:}), in order; the command that
 *     runs the spider loads them
 */
public record SpiderDefinition(
        String name,
        List<String> startUrls,
        Sitemaps sitemaps,
        List<String> allowedDomains,
        Map<String, Object> settings,
        List<RuleDefinition> rules,
        List<ItemDefinition> items,
        @Nullable OutputDefinition output,
        List<Request> startRequests,
        @Nullable LoginDefinition login,
        List<PipelineClass> pipelines) {

    public SpiderDefinition {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a spider needs a name");
        }
        startUrls = List.copyOf(startUrls);
        Objects.requireNonNull(sitemaps, "sitemaps");
        startRequests = List.copyOf(startRequests);
        if (startUrls.isEmpty() && startRequests.isEmpty() && sitemaps.urls().isEmpty()) {
            throw new IllegalArgumentException(
                    "spider '" + name + "' needs start URLs, start requests or sitemap URLs");
        }
        startUrls.forEach(Request::get);
        allowedDomains = List.copyOf(allowedDomains);
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        rules = List.copyOf(rules);
        items = List.copyOf(items);
        pipelines = List.copyOf(pipelines);
    }

    /** A definition whose start requests are GETs of its start URLs, without login or pipelines. */
    public SpiderDefinition(
            String name,
            List<String> startUrls,
            Sitemaps sitemaps,
            List<String> allowedDomains,
            Map<String, Object> settings,
            List<RuleDefinition> rules,
            List<ItemDefinition> items,
            @Nullable OutputDefinition output) {
        this(
                name,
                startUrls,
                sitemaps,
                allowedDomains,
                settings,
                rules,
                items,
                output,
                List.of(),
                null,
                List.of());
    }

    /**
     * A copy that starts from other URLs and stays inside their hosts: the allowed domains become
     * the distinct hosts of {@code urls}. Used to point a shipped spider at a local copy of a site,
     * such as the sandbox on a random port. The sitemaps stay as they are.
     *
     * @throws IllegalArgumentException if a URL is not an absolute http(s) URL
     */
    public SpiderDefinition withStartUrls(List<String> urls) {
        LinkedHashSet<String> hosts = new LinkedHashSet<>();
        for (String url : urls) {
            Request request = Request.get(url);
            if (!Urls.isData(request.url())) {
                hosts.add(request.host());
            }
        }
        return new SpiderDefinition(
                name,
                urls,
                sitemaps,
                List.copyOf(hosts),
                settings,
                rules,
                items,
                output,
                startRequests,
                login,
                pipelines);
    }
}
