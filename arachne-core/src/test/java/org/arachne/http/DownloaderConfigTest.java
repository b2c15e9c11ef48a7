package org.arachne.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DownloaderConfigTest {

    @Test
    void builder_setsOptions_andKeepsDefaultsOfTheOthers() {
        DownloaderConfig config =
                DownloaderConfig.builder()
                        .timeout(Duration.ofSeconds(5))
                        .maxSize(1024)
                        .warnSize(0)
                        .cookiesEnabled(false)
                        .maxBytesInFlight(1 << 20)
                        .proxy(HttpProxy.parse("http://127.0.0.1:3128"))
                        .build();

        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.maxSize()).isEqualTo(1024);
        assertThat(config.warnSize()).isZero();
        assertThat(config.cookiesEnabled()).isFalse();
        assertThat(config.maxBytesInFlight()).isEqualTo(1 << 20);
        assertThat(DownloaderConfig.defaults().maxBytesInFlight()).isEqualTo(256L << 20);
        assertThat(config.proxy()).isNotNull();
        DownloaderConfig defaults = DownloaderConfig.defaults();
        assertThat(config.userAgent()).isEqualTo(defaults.userAgent());
        assertThat(config.defaultHeaders()).isEqualTo(defaults.defaultHeaders());
        assertThat(config.maxConnectionsPerHost()).isEqualTo(defaults.maxConnectionsPerHost());
        assertThat(config.acceptEncoding()).isEqualTo(defaults.acceptEncoding());
        assertThat(config.http2Enabled()).isTrue();
        assertThat(config.denyPrivateAddresses()).isFalse();
    }

    @Test
    void builder_badValue_failsAtOnceNamingTheOption() {
        DownloaderConfig.Builder builder = DownloaderConfig.builder();

        assertThatThrownBy(() -> builder.timeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timeout must be positive, got PT0S");
        assertThatThrownBy(() -> builder.maxSize(0)).hasMessage("maxSize must be positive, got 0");
        assertThatThrownBy(() -> builder.warnSize(-1)).hasMessage("warnSize must be >= 0, got -1");
        assertThatThrownBy(() -> builder.maxConnectionsPerHost(0))
                .hasMessage("maxConnectionsPerHost must be positive, got 0");
        assertThatThrownBy(() -> builder.maxConnectionsTotal(-2))
                .hasMessage("maxConnectionsTotal must be positive, got -2");
        assertThatThrownBy(() -> builder.maxBytesInFlight(0))
                .hasMessage("maxBytesInFlight must be positive, got 0");
        // a refused value does not count as set
        assertThat(builder.timeout(Duration.ofSeconds(1)).build().timeout())
                .isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void builder_optionSetTwice_refused() {
        DownloaderConfig.Builder builder = DownloaderConfig.builder().userAgent("A/1");

        assertThatThrownBy(() -> builder.userAgent("B/2"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("userAgent was already set");
        assertThat(builder.build().userAgent()).isEqualTo("A/1");
    }
}
