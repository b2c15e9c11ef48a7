package org.arachne.middleware;

import java.util.List;
import java.util.Locale;
import org.arachne.http.Request;
import org.arachne.url.Urls;

/**
 * Keeps a crawl inside {@code allowed_domains}: a request passes when its host is one of the
 * domains or a subdomain of one. An empty list lets everything pass; {@code dontFilter} requests
 * always pass. Ports in the list are ignored, as in Scrapy; an international domain may be given in
 * either form ({@code bücher.de} or {@code xn--bcher-kva.de}).
 */
public final class OffsiteFilter {
    private final List<String> domains;

    public OffsiteFilter(List<String> allowedDomains) {
        this.domains =
                allowedDomains.stream()
                        .map(d -> d.trim().toLowerCase(Locale.ROOT))
                        .map(OffsiteFilter::stripPortAndScheme)
                        .map(Urls::asciiHost) // bücher.de matches the punycode host (#9)
                        .filter(d -> !d.isEmpty())
                        .toList();
    }

    private static String stripPortAndScheme(String domain) {
        String d = domain.replaceFirst("^[a-z][a-z0-9+.-]*://", "");
        int slash = d.indexOf('/');
        if (slash >= 0) {
            d = d.substring(0, slash);
        }
        int colon = d.lastIndexOf(':');
        if (colon > 0 && d.indexOf(']') < colon && d.chars().filter(c -> c == ':').count() == 1) {
            d = d.substring(0, colon);
        }
        return d.startsWith(".") ? d.substring(1) : d;
    }

    /**
     * Whether the request may be crawled; a {@code data:} request always may: it reaches no site.
     */
    public boolean allows(Request request) {
        if (domains.isEmpty() || request.dontFilter() || Urls.isData(request.url())) {
            return true;
        }
        String host = request.host();
        for (String domain : domains) {
            if (host.equals(domain) || host.endsWith("." + domain)) {
                return true;
            }
        }
        return false;
    }
}
