package org.arachne.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SiteManifestTest {
    private static final List<String> BASES =
            List.of("http://127.0.0.11:8080", "http://127.0.0.12:8080", "http://127.0.0.13:8080");
    private static final List<String> STARTS = BASES.stream().map(b -> b + "/").toList();

    @Test
    void itemsHash_matchesTheBenchFormula() {
        // expected values computed with shared/bench/gen-site.py's item_hash
        Map<String, String> a =
                Map.of(
                        "title", "三体 ：典藏本 #1-3",
                        "price", "£12.34",
                        "link", "http://127.0.0.11:8080/catalogue/book-00003.html");
        Map<String, Object> b =
                Map.of(
                        "title",
                        "The Café & Other",
                        "price",
                        "£5.00",
                        "link",
                        "http://127.0.0.12:8080/");
        assertThat(SiteManifest.itemsHash(List.of(a))).isEqualTo(0xf40965a99840f316L);
        assertThat(SiteManifest.itemsHash(List.of(b, a, b))).isEqualTo(0x455c98891989bc30L);
        assertThat(SiteManifest.itemsHash(List.of())).isZero();
    }

    @Test
    void itemsHash_missingField_throws() {
        assertThatThrownBy(
                        () -> SiteManifest.itemsHash(List.of(Map.of("title", "t", "price", "p"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("link");
    }

    @Test
    void manifest_agreesWithAWalkOfTheSite() {
        BookSite site = new BookSite(BASES, 80, 3);
        SiteManifest m = SiteManifest.of(site, STARTS);
        SiteWalker.Walk walk =
                SiteWalker.walk(
                        STARTS,
                        uri -> {
                            int host = BASES.indexOf("http://" + uri.getAuthority());
                            BookSite.Resource r = site.resolve(host, uri.getPath());
                            return r == null ? null : new String(r.body(), StandardCharsets.UTF_8);
                        });
        assertThat(walk.urls()).isEqualTo(m.crawlableUrls());
        assertThat(m.crawlablePages()).isEqualTo(240);
        assertThat(m.robotsTxtFiles()).isEqualTo(3);
        assertThat(m.privatePages()).isEqualTo(18);
        assertThat(m.startUrls()).isEqualTo(STARTS);
        assertThat(walk.items()).hasSize((int) m.itemsTotal());
        assertThat(SiteManifest.itemsHash(walk.items())).isEqualTo(m.itemsMultisetHash());
        assertThat(walk.items()).anyMatch(i -> i.get("title").contains("&"));
    }

    @Test
    void writeJson_usesTheBenchNames(@TempDir Path dir) throws Exception {
        SiteManifest m = SiteManifest.of(new BookSite(BASES, 10, 1), STARTS);
        Path file = dir.resolve("manifest.json");
        m.writeJson(file);
        JsonNode json = new ObjectMapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
        assertThat(json.get("crawlable_pages").asInt()).isEqualTo(30);
        assertThat(json.get("robots_txt_files").asInt()).isEqualTo(3);
        assertThat(json.get("expected_requests").asInt()).isEqualTo(33);
        assertThat(json.get("items_total").asLong()).isEqualTo(m.itemsTotal());
        assertThat(json.get("items_multiset_hash").asText())
                .hasSize(16)
                .isEqualTo(m.itemsMultisetHashHex());
        assertThat(json.get("start_urls").get(0).asText()).isEqualTo("http://127.0.0.11:8080/");
        assertThat(json.get("crawlable_urls")).hasSize(30);
    }
}
