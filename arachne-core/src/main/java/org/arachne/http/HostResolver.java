package org.arachne.http;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.arachne.url.IpLiteral;
import org.arachne.url.Urls;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The crawl's one DNS path: per-IP politeness slots, the {@code deny_private_addresses} check
 * before a request and the downloader's connections all resolve through one instance, so they see
 * the same answer from one cache (issue #8: two resolvers kept separate caches, one of them
 * forever). {@code dns_overrides} come first (tests put several host names on one 127.0.0.x address
 * this way); IP literals are read, never looked up; other names go to the system resolver.
 *
 * <p>Caching: at most {@link #MAXIMUM_SIZE} host names. An answer is kept for {@link #EXPIRY} after
 * the lookup: long enough that a host's slot keeps its IP while the host is being crawled, short
 * enough that a broad crawl does not grow without bound nor keep an address its DNS has since
 * changed. A failure is kept too, for {@link #FAILURE_EXPIRY}: a dead host is not asked again for
 * each of its queued requests, and a passing DNS outage does not fail a host for five minutes. The
 * JVM's own cache ({@code networkaddress.cache.ttl}) sits below this one.
 *
 * <p>Thread-safety: safe for concurrent use; threads asking for the same name at once share one
 * lookup. Lookups block the calling thread (a virtual thread in the engine).
 */
public final class HostResolver {
    /** At most this many host names are cached; the least valuable are dropped first. */
    public static final long MAXIMUM_SIZE = 100_000;

    /** How long an answer is kept after the lookup that got it. */
    public static final Duration EXPIRY = Duration.ofMinutes(5);

    /** How long a failed lookup is remembered (negative caching). */
    public static final Duration FAILURE_EXPIRY = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(HostResolver.class);

    /** Looks a host name up; {@link InetAddress#getAllByName} outside tests. */
    @FunctionalInterface
    interface Lookup {
        InetAddress[] addresses(String host) throws UnknownHostException;
    }

    private final Map<String, InetAddress> overrides;
    private final Lookup lookup;
    private final AsyncCache<String, Answer> cache;

    /**
     * A resolver that asks the system resolver.
     *
     * @param overrides {@code dns_overrides}: host name (case-insensitive) to IP address literal
     * @param nanoClock the crawl's monotonic clock, for the cache's expiry
     * @throws IllegalArgumentException when an override is not an IP literal
     */
    public HostResolver(Map<String, String> overrides, LongSupplier nanoClock) {
        this(overrides, InetAddress::getAllByName, nanoClock);
    }

    /** A resolver on the system clock, for tools and tests. */
    public HostResolver(Map<String, String> overrides) {
        this(overrides, System::nanoTime);
    }

    /** A resolver with its own lookup and clock, for tests. */
    HostResolver(Map<String, String> overrides, Lookup lookup, LongSupplier nanoTime) {
        Map<String, InetAddress> byHost = new HashMap<>();
        overrides.forEach(
                (host, ip) -> {
                    InetAddress address = IpLiteral.parse(ip.strip());
                    if (address == null) {
                        throw new IllegalArgumentException(
                                "dns_overrides: '"
                                        + ip
                                        + "' for "
                                        + host
                                        + " is not an IP address");
                    }
                    String name = Urls.asciiHost(host); // requests hold punycode hosts (#9)
                    try {
                        byHost.put(name, InetAddress.getByAddress(name, address.getAddress()));
                    } catch (UnknownHostException e) {
                        throw new AssertionError("a parsed literal has 4 or 16 bytes", e);
                    }
                });
        this.overrides = Map.copyOf(byHost);
        this.lookup = lookup;
        this.cache =
                Caffeine.newBuilder()
                        .maximumSize(MAXIMUM_SIZE)
                        .expireAfter(
                                Expiry.<String, Answer>writing(
                                        (name, answer) ->
                                                answer.failure == null ? EXPIRY : FAILURE_EXPIRY))
                        .ticker(nanoTime::getAsLong)
                        .executor(Runnable::run)
                        .buildAsync();
    }

    /**
     * The first IP address of the host as text ({@link InetAddress#getHostAddress}), or the host
     * itself when it does not resolve (the download then fails with a DNS error and is counted
     * there). May block on a lookup.
     */
    public String resolve(String host) {
        Answer answer = answer(host);
        return answer.addresses.isEmpty() ? host : answer.addresses.getFirst().getHostAddress();
    }

    /**
     * Every address of the host: its override's alone when it has one. May block on a lookup.
     *
     * @throws UnknownHostException when the host does not resolve (now, or when it was last looked
     *     up within {@link #FAILURE_EXPIRY})
     */
    InetAddress[] addresses(String host) throws UnknownHostException {
        Answer answer = answer(host);
        if (answer.failure != null) {
            throw new UnknownHostException(answer.failure);
        }
        return answer.addresses.toArray(InetAddress[]::new);
    }

    /** Host names in the cache now (maintenance done first), for tests of the bound. */
    long cachedHosts() {
        cache.synchronous().cleanUp();
        return cache.synchronous().estimatedSize();
    }

    private Answer answer(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        InetAddress override = overrides.get(name);
        if (override != null) {
            return new Answer(List.of(override), null);
        }
        InetAddress literal = IpLiteral.parse(name);
        if (literal != null) {
            return new Answer(List.of(literal), null);
        }
        CompletableFuture<Answer> mine = new CompletableFuture<>();
        CompletableFuture<Answer> earlier = cache.asMap().putIfAbsent(name, mine);
        if (earlier != null) {
            return earlier.join();
        }
        // looked up outside the cache's lock, so a slow DNS server holds up this name only
        try {
            Answer answer = lookUp(name);
            mine.complete(answer);
            return answer;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e); // a failed future leaves the cache
            throw e;
        }
    }

    private Answer lookUp(String name) {
        try {
            InetAddress[] addresses = lookup.addresses(name);
            if (addresses.length == 0) {
                return new Answer(List.of(), name + ": no addresses");
            }
            return new Answer(List.of(addresses), null);
        } catch (UnknownHostException e) {
            LOG.debug(
                    "{} does not resolve (kept for {}): {}", name, FAILURE_EXPIRY, e.getMessage());
            String message = e.getMessage();
            return new Answer(List.of(), message == null ? name : message);
        }
    }

    /** What one lookup found: the addresses, or why there are none. */
    private record Answer(List<InetAddress> addresses, @Nullable String failure) {}
}
