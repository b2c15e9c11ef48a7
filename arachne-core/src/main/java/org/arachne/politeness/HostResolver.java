package org.arachne.politeness;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Resolves host names to IP addresses for per-IP slots, with {@code dns_overrides} taking
 * precedence over DNS (so tests can put several host names on one 127.0.0.x address). Results,
 * failures included, are cached for the crawl. Thread-safe.
 */
public final class HostResolver {
    private final Map<String, String> overrides;
    private final ConcurrentHashMap<String, String> cache = new ConcurrentHashMap<>();

    /**
     * @param overrides host name (case-insensitive) to IP address literal
     */
    public HostResolver(Map<String, String> overrides) {
        Map<String, String> lower = new ConcurrentHashMap<>();
        overrides.forEach((host, ip) -> lower.put(host.toLowerCase(Locale.ROOT), ip.trim()));
        this.overrides = Map.copyOf(lower);
    }

    /** The override for this host, or null. */
    public @Nullable String override(String host) {
        return overrides.get(host.toLowerCase(Locale.ROOT));
    }

    /** The overrides, host name to IP. */
    public Map<String, String> overrides() {
        return overrides;
    }

    /**
     * The IP address of the host as text, or the host itself when it does not resolve (the download
     * then fails with a DNS error and is counted there).
     */
    public String resolve(String host) {
        String key = host.toLowerCase(Locale.ROOT);
        String override = overrides.get(key);
        if (override != null) {
            return override;
        }
        return cache.computeIfAbsent(key, HostResolver::lookup);
    }

    private static String lookup(String host) {
        try {
            return InetAddress.getByName(host).getHostAddress();
        } catch (UnknownHostException e) {
            return host;
        }
    }
}
