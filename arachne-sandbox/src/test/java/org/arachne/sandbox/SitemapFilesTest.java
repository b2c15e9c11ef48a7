package org.arachne.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class SitemapFilesTest {
    private static final List<String> BASES =
            List.of("http://127.0.0.11:8080", "http://127.0.0.12:8080");
    private static final Pattern LOC = Pattern.compile("<loc>([^<]+)</loc>");
    private static final BookSite SITE = new BookSite(BASES, 23, 1);

    private static String text(BookSite.Resource r) throws IOException {
        byte[] body = r.body();
        if ((body[0] & 0xFF) == 0x1F && (body[1] & 0xFF) == 0x8B) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                body = in.readAllBytes();
            }
        }
        return new String(body, StandardCharsets.UTF_8);
    }

    private static List<String> locs(String xml) {
        List<String> urls = new ArrayList<>();
        Matcher m = LOC.matcher(xml);
        while (m.find()) {
            urls.add(m.group(1));
        }
        return urls;
    }

    @Test
    void parts_listEveryPageOfTheHostExactlyOnce() throws IOException {
        List<String> listed = new ArrayList<>();
        for (String path : SitemapFiles.partPaths()) {
            String text = text(SITE.resolve(1, path));
            listed.addAll(path.endsWith(".txt") ? List.of(text.split("\n")) : locs(text));
        }
        List<String> expected = new ArrayList<>();
        for (int j = 0; j < 23; j++) {
            expected.add(SITE.url(1, j));
        }
        assertThat(listed).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void parts_areServedInEveryEncoding() {
        List<String> parts = SitemapFiles.partPaths();
        assertThat(SITE.resolve(0, parts.get(1)).contentType()).isEqualTo("application/gzip");
        assertThat(SITE.resolve(0, parts.get(2)).contentType())
                .isEqualTo("application/octet-stream");
        assertThat(SITE.resolve(0, parts.get(3)).contentEncoding()).isEqualTo("gzip");
        assertThat(SITE.resolve(0, parts.get(4)).contentType()).startsWith("text/plain");
    }

    @Test
    void index_listsThePartsThenTheBrokenSitemaps() throws IOException {
        List<String> expected = new ArrayList<>();
        SitemapFiles.partPaths().forEach(p -> expected.add(BASES.get(0) + p));
        for (String p : List.of(SitemapFiles.BROKEN, SitemapFiles.MISSING, SitemapFiles.BAD_GZIP)) {
            expected.add(BASES.get(0) + p);
        }
        assertThat(locs(text(SITE.resolve(0, SitemapFiles.INDEX)))).isEqualTo(expected);
        assertThat(SITE.resolve(0, SitemapFiles.MISSING)).isNull();
        assertThat(text(SITE.resolve(0, SitemapFiles.BROKEN))).doesNotContain("</urlset>");
    }

    @Test
    void partners_listPagesOfThisHostAndTheNext() throws IOException {
        List<String> urls = locs(text(SITE.resolve(1, SitemapFiles.PARTNERS)));
        assertThat(urls).hasSize(2 * SitemapFiles.PARTNER_ENTRIES);
        assertThat(urls.subList(0, SitemapFiles.PARTNER_ENTRIES))
                .allMatch(u -> u.startsWith(BASES.get(1)));
        assertThat(urls.subList(SitemapFiles.PARTNER_ENTRIES, urls.size()))
                .allMatch(u -> u.startsWith(BASES.get(0)));
    }

    @Test
    void alternates_eachEntryHasItselfAndAFrenchUrl() throws IOException {
        String xml = text(SITE.resolve(0, SitemapFiles.ALTERNATES));
        assertThat(locs(xml)).hasSize(SitemapFiles.ALTERNATE_ENTRIES);
        assertThat(xml)
                .contains(
                        "hreflang=\"fr\" href=\"" + SITE.url(0, 1) + "?lang=fr\"",
                        "hreflang=\"en\" href=\"" + SITE.url(0, 1) + "\"");
    }
}
