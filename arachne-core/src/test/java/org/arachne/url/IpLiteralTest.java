package org.arachne.url;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpLiteralTest {

    /** Literals and the address each names, as {@link java.net.InetAddress#getHostAddress}. */
    @ParameterizedTest
    @CsvSource({
        "127.0.0.11, 127.0.0.11",
        "0.0.0.0, 0.0.0.0",
        "255.255.255.255, 255.255.255.255",
        "10.1.2.3, 10.1.2.3",
        "::1, 0:0:0:0:0:0:0:1",
        "[::1], 0:0:0:0:0:0:0:1",
        "::, 0:0:0:0:0:0:0:0",
        "2001:db8::1, 2001:db8:0:0:0:0:0:1",
        "2001:DB8:0:0:8:800:200C:417A, 2001:db8:0:0:8:800:200c:417a",
        "1:2:3:4:5:6:7::, 1:2:3:4:5:6:7:0",
        "::2:3:4:5:6:7:8, 0:2:3:4:5:6:7:8",
        "fe80::1%eth0, fe80:0:0:0:0:0:0:1",
        "[fe80::1%25eth0], fe80:0:0:0:0:0:0:1",
        "::ffff:127.0.0.1, 127.0.0.1",
        "[::ffff:192.168.1.1], 192.168.1.1",
        "64:ff9b::192.0.2.33, 64:ff9b:0:0:0:0:c000:221",
        "1:2:3:4:5:6:1.2.3.4, 1:2:3:4:5:6:102:304",
    })
    void parse_literals(String text, String address) {
        assertThat(IpLiteral.parse(text))
                .isNotNull()
                .extracting(a -> a.getHostAddress())
                .isEqualTo(address);
        assertThat(IpLiteral.isLiteral(text)).isTrue();
    }

    /** Not literals: host names, and the ambiguous or broken forms other parsers read loosely. */
    @ParameterizedTest
    @CsvSource({
        "''",
        "localhost",
        "a.test",
        "1.2.3",
        "1.2.3.4.5",
        "256.1.1.1",
        "1.2.3.-4",
        "010.0.0.1",
        "127.1",
        "2130706433",
        "1.2.3.4.",
        "1..2.3",
        "1.2.3.4%eth0",
        "[1.2.3.4]",
        "1:2:3:4:5:6:7",
        "1:2:3:4:5:6:7:8:9",
        "::1:2:3:4:5:6:7:8",
        "1::2::3",
        ":::",
        ":1::",
        "1::2:",
        "12345::1",
        "g::1",
        "::1%",
        "[::1",
        "::1]",
        "[]",
        "::ffff:1.2.3",
        "1:2:3:4:5:6:7:1.2.3.4",
        "١٢٧.0.0.1",
        "::١",
    })
    void parse_notLiterals(String text) {
        assertThat(IpLiteral.parse(text)).isNull();
        assertThat(IpLiteral.isLiteral(text)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1", "::ffff:127.0.0.1"})
    void parse_ipv4AndMapped_areInet4Addresses(String text) {
        assertThat(IpLiteral.parse(text)).isInstanceOf(Inet4Address.class);
    }
}
