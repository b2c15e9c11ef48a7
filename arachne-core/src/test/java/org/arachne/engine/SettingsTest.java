package org.arachne.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingsTest {

    @ParameterizedTest
    @CsvSource({"500ms,500", "3s,3000", "2m,120000", "1.5,1500", "0,0", "1h,3600000"})
    void durations(String value, long millis) {
        Settings s = Settings.defaults().with("download_delay", value);
        assertThat(s.getDuration("download_delay")).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @CsvSource({"1048576,1048576", "512KiB,524288", "64MiB,67108864", "1GB,1000000000", "2k,2048"})
    void sizes(String value, long bytes) {
        assertThat(Settings.defaults().with("download_maxsize", value).getBytes("download_maxsize"))
                .isEqualTo(bytes);
    }

    @Test
    void defaults_areTyped() {
        Settings s = Settings.defaults();
        assertThat(s.getInt("concurrent_requests")).isEqualTo(16);
        assertThat(s.getBoolean("robotstxt_obey")).isTrue();
        assertThat(s.getIntList("retry_http_codes")).contains(503, 429);
        assertThat(s.getMap("default_request_headers")).containsKey("Accept");
        assertThat(s.getList("allowed_domains")).isEmpty();
    }

    @Test
    void commandLineForms_ofListsAndMaps() {
        Settings s =
                Settings.defaults()
                        .with(
                                Map.of(
                                        "allowed_domains", "a.test, b.test",
                                        "dns_overrides", "a.test=127.0.0.2,b.test=127.0.0.3",
                                        "retry_http_codes", List.of("500", 503)));
        assertThat(s.getList("allowed_domains")).containsExactly("a.test", "b.test");
        assertThat(s.getMap("dns_overrides")).containsEntry("b.test", "127.0.0.3");
        assertThat(s.getIntList("retry_http_codes")).containsExactly(500, 503);
    }

    @Test
    void unknownKey_namesTheClosestKnownOne() {
        assertThatThrownBy(() -> Settings.defaults().with("concurent_requests", 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown setting 'concurent_requests'")
                .hasMessageContaining("did you mean 'concurrent_requests'?");
    }

    @ParameterizedTest
    @CsvSource({
        "concurrent_requests,many,a whole number",
        "robotstxt_obey,maybe,true or false",
        "download_delay,soon,a duration",
        "download_maxsize,big,a size",
        "crawl_order,random,'one of bfs, dfs'",
        "retry_http_codes,'500,x',a list of whole numbers"
    })
    void badValues_areRefusedWhenSet_namingTheSetting(String key, String value, String expected) {
        assertThatThrownBy(() -> Settings.defaults().with(key, value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("setting '" + key + "'")
                .hasMessageContaining(expected);
    }

    @Test
    void downloadSlots_fromMapsOrJson_areCheckedField_byField() {
        Settings fromJava =
                Settings.defaults()
                        .with(
                                "download_slots",
                                Map.of("A.test", Map.of("concurrency", 1, "delay", "2s")));
        assertThat(SlotOverrides.parse(fromJava.raw("download_slots")))
                .containsEntry(
                        "a.test",
                        new org.arachne.politeness.SlotOverride(1, Duration.ofSeconds(2), null));
        Settings fromCli =
                Settings.defaults()
                        .with("download_slots", "{\"b.test\": {\"randomize_delay\": false}}");
        assertThat(SlotOverrides.parse(fromCli.raw("download_slots")))
                .containsEntry(
                        "b.test", new org.arachne.politeness.SlotOverride(null, null, false));
        assertThatThrownBy(
                        () ->
                                Settings.defaults()
                                        .with(
                                                "download_slots",
                                                Map.of("a.test", Map.of("concurency", 1))))
                .hasMessageContaining("a.test")
                .hasMessageContaining("unknown key 'concurency'");
        assertThatThrownBy(
                        () ->
                                Settings.defaults()
                                        .with(
                                                "download_slots",
                                                Map.of("a.test", Map.of("delay", "soon"))))
                .hasMessageContaining("a.test.delay");
        assertThatThrownBy(() -> Settings.defaults().with("download_slots", "{not json"))
                .hasMessageContaining("expected a map of maps");
    }
}
