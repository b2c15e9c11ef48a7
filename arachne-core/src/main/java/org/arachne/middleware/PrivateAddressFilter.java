package org.arachne.middleware;

import java.net.InetAddress;
import org.arachne.http.HostResolver;
import org.arachne.http.PrivateAddresses;
import org.arachne.http.Request;
import org.arachne.url.IpLiteral;
import org.arachne.url.Urls;
import org.jspecify.annotations.Nullable;

/**
 * Refuses requests whose host resolves to an address of the crawler's own networks (loopback,
 * private, unique-local, link-local, unspecified or multicast), so that links on a public site
 * cannot make the crawler reach internal services ({@code deny_private_addresses}). Names are
 * resolved through the crawl's {@link HostResolver}, the one the downloader connects with, so
 * {@code dns_overrides} count and both checks read one cached answer.
 *
 * <p>This check runs before any request of the host (robots.txt included), on the first address the
 * resolver returns. The downloader checks again every address it is about to connect to ({@link
 * org.arachne.http.DownloaderConfig#denyPrivateAddresses()}), which catches a host whose DNS answer
 * changes in between (DNS rebinding) or that has several addresses. Through a proxy the proxy
 * connects, and this check still applies to the target host.
 */
public final class PrivateAddressFilter implements RequestStage {
    private final HostResolver resolver;

    public PrivateAddressFilter(HostResolver resolver) {
        this.resolver = resolver;
    }

    /** A request to a non-public address fails as {@code download/refused}, before any fetch. */
    @Override
    public StageResult<Request> onRequest(Request request, SlotReport slot) {
        String refusal = refusal(request);
        return refusal == null
                ? StageResult.next(request)
                : StageResult.end(new Outcome.Fail(refusal, "download/refused"));
    }

    /**
     * Why the request must not be made, or null when its host resolves to a public address or does
     * not resolve at all (the download then fails as a DNS error).
     */
    public @Nullable String refusal(Request request) {
        if (Urls.isData(request.url())) {
            return null; // answered from the URL: no address is reached
        }
        String host = Urls.host(request.url());
        InetAddress address = IpLiteral.parse(resolver.resolve(host));
        if (address == null || !PrivateAddresses.isPrivate(address)) {
            return null;
        }
        return "deny_private_addresses: "
                + host
                + " resolves to the non-public address "
                + address.getHostAddress();
    }
}
