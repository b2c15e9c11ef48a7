package org.arachne.http;

import java.net.Inet6Address;
import java.net.InetAddress;

/** Which addresses belong to the crawler's own networks rather than the public internet. */
public final class PrivateAddresses {
    private PrivateAddresses() {}

    /**
     * Whether the address is loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local
     * (169.254/16, fe80::/10), unspecified or multicast.
     */
    public static boolean isPrivate(InetAddress address) {
        return address.isLoopbackAddress()
                || address.isSiteLocalAddress()
                || address.isLinkLocalAddress()
                || address.isAnyLocalAddress()
                || address.isMulticastAddress()
                || (address instanceof Inet6Address && (address.getAddress()[0] & 0xfe) == 0xfc);
    }
}
