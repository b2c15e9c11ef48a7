package org.arachne.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.arachne.frontier.CrawlOrder;
import org.arachne.http.DownloaderConfig;
import org.arachne.http.Headers;
import org.arachne.http.HttpProxy;
import org.arachne.politeness.SlotOverride;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class SettingsTest {

    @ParameterizedTest
    @CsvSource({
        "500ms,500",
        "3s,3000",
        "2m,120000",
        "1.5,1500",
        "0,0",
        "1h,3600000",
        "2 S,2000",
        "7d,604800000"
    })
    void durations(String value, long millis) {
        Settings s = Settings.defaults().with("download_delay", value);
        assertThat(s.get(Setting.DOWNLOAD_DELAY)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @CsvSource({"1048576,1048576", "512KiB,524288", "64MiB,67108864", "1GB,1000000000", "2k,2048"})
    void sizes(String value, long bytes) {
        Settings s = Settings.defaults().with("download_maxsize", value);
        assertThat(s.get(Setting.DOWNLOAD_MAXSIZE)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @CsvSource({
        "true,true",
        "yes,true",
        "on,true",
        "1,true",
        "TRUE,true",
        " Yes ,true",
        "false,false",
        "no,false",
        "off,false",
        "0,false",
        "Off,false"
    })
    void booleans(String value, boolean expected) {
        assertThat(Settings.defaults().with("robotstxt_obey", value).get(Setting.ROBOTSTXT_OBEY))
                .isEqualTo(expected);
    }

    static Stream<Arguments> typedValues() {
        return Stream.of(
                Arguments.of(
                        Setting.DOWNLOAD_DELAY, Duration.ofMillis(250), Duration.ofMillis(250)),
                Arguments.of(Setting.DOWNLOAD_DELAY, 2, Duration.ofSeconds(2)),
                Arguments.of(Setting.DOWNLOAD_DELAY, 0.5, Duration.ofMillis(500)),
                Arguments.of(Setting.DOWNLOAD_MAXSIZE, 1024, 1024L),
                Arguments.of(Setting.CONCURRENT_REQUESTS, 32L, 32),
                Arguments.of(Setting.CONCURRENT_REQUESTS, 4.0, 4),
                Arguments.of(Setting.AUTOTHROTTLE_TARGET_CONCURRENCY, 2, 2.0),
                Arguments.of(Setting.ROBOTSTXT_OBEY, false, false),
                Arguments.of(Setting.CRAWL_ORDER, "DFS", CrawlOrder.DFS),
                Arguments.of(Setting.CRAWL_ORDER, CrawlOrder.DFS, CrawlOrder.DFS),
                Arguments.of(Setting.DUPEFILTER, " Bloom ", "bloom"),
                Arguments.of(Setting.LOG_LEVEL, "DEBUG", "debug"),
                Arguments.of(
                        Setting.ALLOWED_DOMAINS, "a.test, b.test,,", List.of("a.test", "b.test")),
                Arguments.of(Setting.ALLOWED_DOMAINS, List.of(" a.test"), List.of("a.test")),
                Arguments.of(Setting.ALLOWED_DOMAINS, "", List.of()),
                Arguments.of(Setting.RETRY_HTTP_CODES, "500, 503", List.of(500, 503)),
                Arguments.of(Setting.RETRY_HTTP_CODES, List.of("500", 503), List.of(500, 503)),
                Arguments.of(
                        Setting.DNS_OVERRIDES,
                        "a.test=127.0.0.2, b.test = ::1",
                        Map.of("a.test", "127.0.0.2", "b.test", "::1")),
                Arguments.of(
                        Setting.DNS_OVERRIDES,
                        Map.of("a.test", "127.0.0.9"),
                        Map.of("a.test", "127.0.0.9")),
                Arguments.of(
                        Setting.DEFAULT_REQUEST_HEADERS,
                        "{\"Accept\": \"text/html,*/*\", \"X-A\": 1}",
                        Map.of("Accept", "text/html,*/*", "X-A", "1")),
                Arguments.of(
                        Setting.PROXY,
                        "http://u:p@127.0.0.1:3128",
                        Optional.of(new HttpProxy("127.0.0.1", 3128, "u", "p"))),
                Arguments.of(Setting.PROXY, " ", Optional.empty()),
                Arguments.of(
                        Setting.PROXY,
                        new HttpProxy("127.0.0.1", 8080, null, null),
                        Optional.of(new HttpProxy("127.0.0.1", 8080, null, null))),
                Arguments.of(
                        Setting.DOWNLOAD_SLOTS,
                        "{\"A.test\": {\"concurrency\": 1, \"delay\": \"2s\"}}",
                        Map.of("a.test", new SlotOverride(1, Duration.ofSeconds(2), null))),
                Arguments.of(
                        Setting.DOWNLOAD_SLOTS,
                        Map.of("b.test", Map.of("randomize_delay", "no", "delay", 1.5)),
                        Map.of("b.test", new SlotOverride(null, Duration.ofMillis(1500), false))),
                Arguments.of(
                        Setting.DOWNLOAD_SLOTS,
                        Map.of("c.test", new SlotOverride(2, null, null)),
                        Map.of("c.test", new SlotOverride(2, null, null))));
    }

    @ParameterizedTest
    @MethodSource("typedValues")
    void goodValues_areParsedOnceWhenSet(Setting<?> setting, Object value, Object expected) {
        Settings s = Settings.defaults().with(setting.key(), value);

        assertThat(s.get(setting)).isEqualTo(expected);
        assertThat(s.get(setting)).isSameAs(s.get(setting));
        assertThat(s.raw(setting.key())).isEqualTo(value);
    }

    @Test
    void defaults_areTyped() {
        Settings s = Settings.defaults();
        assertThat(s.get(Setting.CONCURRENT_REQUESTS)).isEqualTo(16);
        assertThat(s.get(Setting.ROBOTSTXT_OBEY)).isTrue();
        assertThat(s.get(Setting.DOWNLOAD_TIMEOUT)).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.get(Setting.DOWNLOAD_MAXSIZE)).isEqualTo(64L * 1024 * 1024);
        assertThat(s.get(Setting.RETRY_HTTP_CODES)).contains(503, 429);
        assertThat(s.get(Setting.DEFAULT_REQUEST_HEADERS))
                .containsKeys("Accept", "Accept-Language");
        assertThat(s.get(Setting.ALLOWED_DOMAINS)).isEmpty();
        assertThat(s.get(Setting.CRAWL_ORDER)).isEqualTo(CrawlOrder.BFS);
        assertThat(s.get(Setting.PROXY)).isEmpty();
        assertThat(s.get(Setting.DOWNLOAD_SLOTS)).isEmpty();
    }

    @Test
    void everyDeclaration_acceptsItsOwnDefault_andNullGivesTheDefault() {
        for (Setting<?> setting : Setting.ALL.values()) {
            assertThat(setting.parse(setting.defaultValue()))
                    .as(setting.key())
                    .isEqualTo(setting.defaultValue());
            assertThat(setting.parse(null)).as(setting.key()).isEqualTo(setting.defaultValue());
            assertThat(Settings.defaults().get(setting))
                    .as(setting.key())
                    .isEqualTo(setting.defaultValue());
        }
    }

    @Test
    void downloaderDefaults_equalTheSettingDefaults() {
        DownloaderConfig config = DownloaderConfig.defaults();
        Settings s = Settings.defaults();
        assertThat(config.userAgent()).isEqualTo(s.get(Setting.USER_AGENT));
        assertThat(config.defaultHeaders())
                .isEqualTo(Headers.of(s.get(Setting.DEFAULT_REQUEST_HEADERS)));
        assertThat(config.timeout()).isEqualTo(s.get(Setting.DOWNLOAD_TIMEOUT));
        assertThat(config.maxSize()).isEqualTo(s.get(Setting.DOWNLOAD_MAXSIZE));
        assertThat(config.warnSize()).isEqualTo(s.get(Setting.DOWNLOAD_WARNSIZE));
        assertThat(config.cookiesEnabled()).isEqualTo(s.get(Setting.COOKIES_ENABLED));
        assertThat(config.http2Enabled()).isEqualTo(s.get(Setting.HTTP2_ENABLED));
        assertThat(config.denyPrivateAddresses()).isEqualTo(s.get(Setting.DENY_PRIVATE_ADDRESSES));
    }

    @Test
    void valuesGivenAsText_areReadBackTyped() {
        Settings s =
                Settings.defaults()
                        .with(
                                Map.of(
                                        "allowed_domains", "a.test, b.test",
                                        "dns_overrides", "a.test=127.0.0.2,b.test=127.0.0.3",
                                        "retry_http_codes", List.of("500", 503),
                                        "crawl_order", "DFS",
                                        "autothrottle_target_concurrency", "2.5",
                                        "concurrent_requests", "4",
                                        "cookies_enabled", "off"));
        assertThat(s.get(Setting.ALLOWED_DOMAINS)).containsExactly("a.test", "b.test");
        assertThat(s.get(Setting.DNS_OVERRIDES)).containsEntry("b.test", "127.0.0.3");
        assertThat(s.get(Setting.RETRY_HTTP_CODES)).containsExactly(500, 503);
        assertThat(s.get(Setting.CRAWL_ORDER)).isEqualTo(CrawlOrder.DFS);
        assertThat(s.get(Setting.USER_AGENT)).isEqualTo("Arachne/0.1");
        assertThat(s.get(Setting.AUTOTHROTTLE_TARGET_CONCURRENCY)).isEqualTo(2.5);
        assertThat(s.get(Setting.CONCURRENT_REQUESTS)).isEqualTo(4);
        assertThat(s.get(Setting.COOKIES_ENABLED)).isFalse();
        assertThatThrownBy(() -> s.raw("download_dely"))
                .hasMessageContaining("did you mean 'download_delay'?");
    }

    @Test
    void typedWith_checksTheRule() {
        Settings s = Settings.defaults().with(Setting.DOWNLOAD_DELAY, Duration.ofSeconds(3));
        assertThat(s.get(Setting.DOWNLOAD_DELAY)).isEqualTo(Duration.ofSeconds(3));
        assertThat(Settings.defaults().get(Setting.DOWNLOAD_DELAY)).isZero();
        assertThatThrownBy(() -> s.with(Setting.CONCURRENT_REQUESTS, 0))
                .hasMessage(
                        "setting 'concurrent_requests' has value '0', expected a whole number, at"
                                + " least 1");
    }

    @Test
    void unknownKey_namesTheClosestKnownOne() {
        assertThatThrownBy(() -> Settings.defaults().with("concurent_requests", 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown setting 'concurent_requests'")
                .hasMessageContaining("did you mean 'concurrent_requests'?");
    }

    @Test
    void severalProblems_areReportedTogether() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("concurrent_requests", 0);
        values.put("download_dely", "1s");
        values.put("robotstxt_obey", "maybe");
        assertThatThrownBy(() -> Settings.defaults().with(values))
                .hasMessage(
                        "setting 'concurrent_requests' has value '0', expected a whole number, at"
                                + " least 1; unknown setting 'download_dely' (did you mean"
                                + " 'download_delay'?); see README, Settings; setting"
                                + " 'robotstxt_obey' has value 'maybe', expected true or false");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            concurrent_requests             | many       | a whole number, at least 1
            concurrent_requests             | 0          | a whole number, at least 1
            concurrent_requests             | 1.5        | a whole number, at least 1
            concurrent_requests             | 9999999999 | a whole number, at least 1
            concurrent_requests_per_domain  | 0          | a whole number, at least 1
            concurrent_requests_per_ip      | -1         | a whole number, 0 or more
            retry_times                     | -1         | a whole number, 0 or more
            depth_limit                     | -2         | a whole number, 0 or more
            closespider_itemcount           | -1         | a whole number, 0 or more
            dupefilter_expected_count       | 0          | a whole number, at least 1
            scheduler_memory_queue_limit    | 0          | a whole number, at least 1
            autothrottle_target_concurrency | 0          | a number, above 0
            autothrottle_target_concurrency | NaN        | a number, above 0
            autothrottle_target_concurrency | lots       | a number, above 0
            dupefilter_false_positive_rate  | 1          | a number, above 0 and below 1
            dupefilter_false_positive_rate  | 0          | a number, above 0 and below 1
            robotstxt_obey                  | maybe      | true or false
            http2_enabled                   | 2          | true or false
            download_delay                  | soon       | a duration such as 500ms, 3s, 2m or a number of seconds, 0 or more
            download_delay                  | -1s        | a duration such as 500ms, 3s, 2m or a number of seconds, 0 or more
            download_delay                  | 3 days     | a duration such as 500ms, 3s, 2m or a number of seconds, 0 or more
            download_timeout                | 0s         | a duration such as 500ms, 3s, 2m or a number of seconds, above 0
            download_maxsize                | big        | a size such as 1048576, 512KiB or 64MiB, above 0
            download_maxsize                | 0          | a size such as 1048576, 512KiB or 64MiB, above 0
            download_warnsize               | 1TB        | a size such as 1048576, 512KiB or 64MiB, 0 or more
            crawl_order                     | random     | one of bfs, dfs
            dupefilter                      | cuckoo     | one of exact, bloom
            log_level                       | loud       | one of critical, error, warning, warn, info, debug, trace
            retry_http_codes                | 500,x      | a list of whole numbers, each from 100 to 599
            retry_http_codes                | 500,99     | a list of whole numbers, each from 100 to 599
            dns_overrides                   | a.test=localhost | a map such as a=b,c=d (or a JSON object), each value an IP address
            dns_overrides                   | a.test=1.2.3 | a map such as a=b,c=d (or a JSON object), each value an IP address
            dns_overrides                   | a.test     | a map such as a=b,c=d (or a JSON object), each value an IP address
            default_request_headers         | {"Accept": | a map such as a=b,c=d (or a JSON object), no header name blank
            default_request_headers         | =text/html | a map such as a=b,c=d (or a JSON object), no header name blank
            proxy                           | ftp://127.0.0.1:21 | an http proxy URL such as http://user:pass@host:port (only http:// proxies are supported)
            proxy                           | notaurl            | an http proxy URL such as http://user:pass@host:port (it has no port; write host:port, e.g. http://proxy.example:3128)
            proxy                           | http://127.0.0.1:99999 | an http proxy URL such as http://user:pass@host:port (proxy port must be in 1..65535, got 99999)
            download_slots                  | {not json  | a map of maps (a JSON object on the command line, e.g. {"a.test": {"delay": "2s"}})
            download_slots                  | null       | a map of maps (a JSON object on the command line, e.g. {"a.test": {"delay": "2s"}})
            """)
    void badValues_areRefusedWhenSet_namingSettingValueAndExpectation(
            String key, String value, String expected) {
        assertThatThrownBy(() -> Settings.defaults().with(key, value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "setting '" + key + "' has value '" + value + "', expected " + expected);
    }

    static Stream<Arguments> badTypedValues() {
        return Stream.of(
                Arguments.of("concurrent_requests", 2.5, "'2.5', expected a whole number"),
                Arguments.of("concurrent_requests", 10_000_000_000L, "'10000000000', expected a"),
                Arguments.of("download_delay", -1, "'-1', expected a duration"),
                Arguments.of("download_delay", Duration.ofSeconds(-1), "'PT-1S', expected a"),
                Arguments.of("download_maxsize", -5L, "'-5', expected a size"),
                Arguments.of(
                        "autothrottle_target_concurrency",
                        Double.POSITIVE_INFINITY,
                        "'Infinity', expected a number"),
                Arguments.of("robotstxt_obey", 2, "'2', expected true or false"),
                Arguments.of("crawl_order", List.of("bfs"), "'[bfs]', expected one of"),
                Arguments.of("retry_http_codes", List.of(500, "x"), "'[500, x]', expected a list"));
    }

    @ParameterizedTest
    @MethodSource("badTypedValues")
    void badTypedValues_areRefusedWhenSet(String key, Object value, String message) {
        assertThatThrownBy(() -> Settings.defaults().with(key, value))
                .hasMessageStartingWith("setting '" + key + "' has value " + message);
    }

    @Test
    void proxyErrors_andToString_maskTheCredentials() {
        assertThatThrownBy(() -> Settings.defaults().with("proxy", "https://u:s3cret@127.0.0.1:1"))
                .hasMessage(
                        "setting 'proxy' has value 'https://****@127.0.0.1:1', expected an http"
                                + " proxy URL such as http://user:pass@host:port (only http://"
                                + " proxies are supported)");
        Settings s = Settings.defaults().with("proxy", "http://u:s3cret@127.0.0.1:3128");
        assertThat(s.toString()).contains("http://****@127.0.0.1:3128").doesNotContain("s3cret");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            {"a.test": {"concurency": 1}}   | setting 'download_slots' has unknown key 'concurency' at a.test, expected one of concurrency, delay, randomize_delay
            {"a.test": {"delay": "soon"}}   | setting 'download_slots' has value 'soon' at a.test.delay, expected a duration such as 500ms, 3s, 2m or a number of seconds, 0 or more
            {"a.test": {"delay": -1}}       | setting 'download_slots' has value '-1' at a.test.delay, expected a duration such as 500ms, 3s, 2m or a number of seconds, 0 or more
            {"a.test": {"concurrency": 0}}  | setting 'download_slots' has value '0' at a.test.concurrency, expected a whole number, at least 1
            {"a.test": {"randomize_delay": "x"}} | setting 'download_slots' has value 'x' at a.test.randomize_delay, expected true or false
            {"a.test": {"delay": null}}     | setting 'download_slots' has no value at a.test.delay, expected a duration such as 500ms, 3s, 2m or a number of seconds, 0 or more
            {"a.test": 3}                   | setting 'download_slots' has value '3' at a.test, expected a map of concurrency, delay, randomize_delay
            """)
    void downloadSlots_areCheckedFieldByField(String json, String message) {
        assertThatThrownBy(() -> Settings.defaults().with("download_slots", json))
                .hasMessage(message);
    }

    @Test
    void builderSetting_refusesABadValueAtTheCall() {
        Crawler.Builder builder = Crawler.builder(new BooksSpider(List.of("http://a.test/")));
        assertThatThrownBy(() -> builder.setting("download_delay", "soon"))
                .hasMessageStartingWith("setting 'download_delay' has value 'soon'");
        assertThatThrownBy(() -> builder.setting(Setting.RETRY_TIMES, -1))
                .hasMessageStartingWith("setting 'retry_times' has value '-1'");
    }
}
