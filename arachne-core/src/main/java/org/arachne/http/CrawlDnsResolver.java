package org.arachne.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;

/**
 * HttpClient's view of the crawl's {@link HostResolver} (so connections use the answers, overrides
 * and cache that slots and the engine's checks use). With {@code denyPrivateAddresses}, drops
 * non-public addresses from every answer (except for proxy hosts) and refuses a host that has no
 * other: this runs when a connection is about to be made, so a DNS answer that changed since the
 * engine's first check is caught too.
 */
final class CrawlDnsResolver extends SystemDefaultDnsResolver {
    private final HostResolver hosts;
    private final boolean denyPrivateAddresses;
    private final Set<String> proxyHosts = ConcurrentHashMap.newKeySet();

    CrawlDnsResolver(HostResolver hosts, boolean denyPrivateAddresses) {
        this.hosts = hosts;
        this.denyPrivateAddresses = denyPrivateAddresses;
    }

    /** Lets this proxy host resolve to a private address. */
    void allowProxy(String host) {
        if (denyPrivateAddresses) {
            proxyHosts.add(host.toLowerCase(Locale.ROOT));
        }
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        InetAddress[] addresses = hosts.addresses(host);
        if (!denyPrivateAddresses || proxyHosts.contains(host.toLowerCase(Locale.ROOT))) {
            return addresses;
        }
        InetAddress[] allowed =
                Arrays.stream(addresses)
                        .filter(a -> !PrivateAddresses.isPrivate(a))
                        .toArray(InetAddress[]::new);
        if (allowed.length == 0) {
            throw new PrivateAddressRefused(host, addresses[0]);
        }
        return allowed;
    }

    /** A host that resolves only to non-public addresses while they are denied. */
    static final class PrivateAddressRefused extends UnknownHostException {
        PrivateAddressRefused(String host, InetAddress address) {
            super(
                    "deny_private_addresses: "
                            + host
                            + " resolves to the non-public address "
                            + address.getHostAddress());
        }
    }
}
