package org.arachne.middleware;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.arachne.http.HostResolver;
import org.arachne.http.Request;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrivateAddressFilterTest {
    private final PrivateAddressFilter filter =
            new PrivateAddressFilter(
                    new HostResolver(
                            Map.of(
                                    "intranet.test", "10.1.2.3",
                                    "public.test", "93.184.216.34",
                                    "router.test", "192.168.1.1")));

    @ParameterizedTest
    @CsvSource({
        "http://127.0.0.51:8080/, true",
        "http://localhost/, true",
        "http://10.0.0.1/, true",
        "http://172.16.0.1/, true",
        "http://172.31.255.255/, true",
        "http://172.32.0.1/, false",
        "http://192.168.0.10/, true",
        "http://169.254.169.254/latest/meta-data/, true",
        "http://0.0.0.0/, true",
        "http://224.0.0.1/, true",
        "http://[::1]/, true",
        "http://[fc00::1]/, true",
        "http://[fd12:3456::1]/, true",
        "http://[fe80::1]/, true",
        "http://[::]/, true",
        "http://[::ffff:127.0.0.1]/, true",
        "http://[2001:db8::1]/, false",
        "http://8.8.8.8/, false",
        "http://intranet.test/, true",
        "http://ROUTER.test/x, true",
        "http://public.test/, false",
    })
    void refusal_byResolvedAddress(String url, boolean refused) {
        String refusal = filter.refusal(Request.get(url));

        if (refused) {
            assertThat(refusal).startsWith("deny_private_addresses: ");
        } else {
            assertThat(refusal).isNull();
        }
    }
}
