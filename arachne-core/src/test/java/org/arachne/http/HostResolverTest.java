package org.arachne.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.arachne.url.IpLiteral;
import org.junit.jupiter.api.Test;

class HostResolverTest {
    private final AtomicLong nanos = new AtomicLong();
    private final List<String> lookups = new ArrayList<>();

    /** A fake DNS: {@code N.test} is 203.0.113.N, other names do not exist. */
    private InetAddress[] dns(String host) throws UnknownHostException {
        lookups.add(host);
        if (host.matches("[0-9]+\\.test")) {
            return new InetAddress[] {
                IpLiteral.parse("203.0.113." + (Integer.parseInt(host.split("\\.")[0]) % 256))
            };
        }
        throw new UnknownHostException(host + ": no such host");
    }

    private HostResolver resolver(Map<String, String> overrides) {
        return new HostResolver(overrides, this::dns, nanos::get);
    }

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    @Test
    void resolve_overridesFirst_caseInsensitive_withoutLookup() throws Exception {
        HostResolver resolver = resolver(Map.of("Books.Test", "127.0.0.9", "v6.test", " ::1 "));

        assertThat(resolver.resolve("books.TEST")).isEqualTo("127.0.0.9");
        assertThat(resolver.resolve("v6.test")).isEqualTo("0:0:0:0:0:0:0:1");
        InetAddress[] addresses = resolver.addresses("BOOKS.test");
        assertThat(addresses).hasSize(1);
        assertThat(addresses[0].getHostName()).isEqualTo("books.test");
        assertThat(lookups).isEmpty();
    }

    /** Requests hold punycode hosts; an override may name the host either way (#9). */
    @Test
    void resolve_internationalOverride_matchesThePunycodeHost() throws Exception {
        HostResolver resolver = resolver(Map.of("www.Bücher.test", "127.0.0.9"));

        assertThat(resolver.resolve("www.xn--bcher-kva.test")).isEqualTo("127.0.0.9");
        assertThat(lookups).isEmpty();
    }

    @Test
    void resolve_ipLiterals_withoutLookup() {
        HostResolver resolver = resolver(Map.of());

        assertThat(resolver.resolve("127.0.0.11")).isEqualTo("127.0.0.11");
        assertThat(resolver.resolve("[::1]")).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(lookups).isEmpty();
    }

    @Test
    void newResolver_overrideNotAnIpLiteral_namesTheSetting() {
        assertThatThrownBy(() -> resolver(Map.of("a.test", "localhost")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dns_overrides: 'localhost' for a.test is not an IP address");
    }

    @Test
    void resolve_answerCached_untilItExpires() throws Exception {
        HostResolver resolver = resolver(Map.of());

        assertThat(resolver.resolve("7.test")).isEqualTo("203.0.113.7");
        assertThat(resolver.addresses("7.TEST")[0].getHostAddress()).isEqualTo("203.0.113.7");
        advance(HostResolver.EXPIRY.minusNanos(1));
        resolver.resolve("7.test");
        assertThat(lookups).containsExactly("7.test");

        advance(Duration.ofNanos(1));
        assertThat(resolver.resolve("7.test")).isEqualTo("203.0.113.7");
        assertThat(lookups).containsExactly("7.test", "7.test");
    }

    @Test
    void resolve_failureCached_untilItExpires() {
        HostResolver resolver = resolver(Map.of());

        assertThat(resolver.resolve("gone.test")).isEqualTo("gone.test");
        assertThatThrownBy(() -> resolver.addresses("gone.test"))
                .isInstanceOf(UnknownHostException.class)
                .hasMessage("gone.test: no such host");
        advance(HostResolver.FAILURE_EXPIRY.minusNanos(1));
        resolver.resolve("gone.test");
        assertThat(lookups).containsExactly("gone.test");

        advance(Duration.ofNanos(1));
        resolver.resolve("gone.test");
        assertThat(lookups).containsExactly("gone.test", "gone.test");
    }

    @Test
    void cache_boundedByMaximumSize() {
        HostResolver resolver = resolver(Map.of());

        for (int i = 0; i < HostResolver.MAXIMUM_SIZE + 1_000; i++) {
            resolver.resolve(i + ".test");
        }

        assertThat(resolver.cachedHosts()).isLessThanOrEqualTo(HostResolver.MAXIMUM_SIZE);
    }
}
