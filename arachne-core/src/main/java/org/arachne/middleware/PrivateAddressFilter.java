package org.arachne.middleware;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;
import org.arachne.http.PrivateAddresses;
import org.arachne.http.Request;
import org.arachne.politeness.HostResolver;
import org.arachne.url.Urls;
import org.jspecify.annotations.Nullable;

/**
 * Refuses requests whose host resolves to an address of the crawler's own networks (loopback,
 * private, unique-local, link-local, unspecified or multicast), so that links on a public site
 * cannot make the crawler reach internal services ({@code deny_private_addresses}). Names are
 * resolved through {@link HostResolver}, so {@code dns_overrides} count.
 *
 * <p>This check runs before any request of the host (robots.txt included), on the first address the
 * resolver returns. The downloader checks again every address it is about to connect to ({@link
 * org.arachne.http.DownloaderConfig#denyPrivateAddresses()}), which catches a host whose DNS answer
 * changes in between (DNS rebinding) or that has several addresses. Through a proxy the proxy
 * connects, and this check still applies to the target host.
 */
public final class PrivateAddressFilter {
    private static final Pattern IP_LITERAL =
            Pattern.compile("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.%a-zA-Z]*");

    private final HostResolver resolver;

    public PrivateAddressFilter(HostResolver resolver) {
        this.resolver = resolver;
    }

    /**
     * Why the request must not be made, or null when its host resolves to a public address or does
     * not resolve at all (the download then fails as a DNS error).
     */
    public @Nullable String refusal(Request request) {
        String host = Urls.host(request.url());
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String ip = resolver.resolve(host);
        if (!IP_LITERAL.matcher(ip).matches()) {
            return null;
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(ip); // a literal: no lookup is made
        } catch (UnknownHostException e) {
            return null;
        }
        if (!PrivateAddresses.isPrivate(address)) {
            return null;
        }
        return "deny_private_addresses: "
                + host
                + " resolves to the non-public address "
                + address.getHostAddress();
    }
}
