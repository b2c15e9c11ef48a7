package org.arachne.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.arachne.engine.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpProxyTest {
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "http://127.0.0.1:3128 | 127.0.0.1 | 3128 | | | http://127.0.0.1:3128",
                "127.0.0.1:8080 | 127.0.0.1 | 8080 | | | http://127.0.0.1:8080",
                "http://u:p%3Aw@127.0.0.2:1 | 127.0.0.2 | 1 | u | p:w | http://u:****@127.0.0.2:1",
                "HTTP://u@127.0.0.2:1 | 127.0.0.2 | 1 | u | '' | http://u:****@127.0.0.2:1",
            })
    void parse_hostPortCredentialsAndMaskedToString(
            String url, String host, int port, String user, String password, String shown) {
        HttpProxy proxy = HttpProxy.parse(url);

        assertThat(proxy).isEqualTo(new HttpProxy(host, port, user, password));
        assertThat(proxy.toString()).isEqualTo(shown);
    }

    @Test
    void parse_blankIsNoProxy() {
        assertThat(HttpProxy.parse("")).isNull();
        assertThat(HttpProxy.parse("  ")).isNull();
    }

    @Test
    void parse_errorsMaskTheCredentials() {
        assertThatThrownBy(() -> HttpProxy.parse("https://u:s3cret@127.0.0.1:1"))
                .hasMessageContaining("https://****@127.0.0.1:1")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> HttpProxy.parse("http://u:s3cret@bad host:1"))
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void authorization_isBasicOfUserAndPassword() {
        assertThat(HttpProxy.parse("http://Aladdin:open%20sesame@h:1").authorization())
                .isEqualTo("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        assertThat(HttpProxy.parse("http://h:1").authorization()).isNull();
    }

    @Test
    void settingsToString_masksTheProxyPassword() {
        Settings settings = Settings.defaults().with("proxy", "http://u:s3cret@127.0.0.1:3128");

        assertThat(settings.toString())
                .contains("http://****@127.0.0.1:3128")
                .doesNotContain("s3cret");
    }

    @Test
    void parse_withoutAPort_isRefused_sinceProxiesHaveNoUsualPort() {
        assertThatThrownBy(() -> HttpProxy.parse("notaurl"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("it has no port");
        assertThatThrownBy(() -> HttpProxy.parse("http://proxy.test"))
                .hasMessageContaining("it has no port");
    }
}
