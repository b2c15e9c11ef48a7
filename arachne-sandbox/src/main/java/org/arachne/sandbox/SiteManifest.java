package org.arachne.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a complete, robots-obeying crawl of the generated site must produce: page and item counts,
 * the order-independent item hash of {@code shared/bench}, and every crawlable URL. Immutable.
 *
 * @param crawlablePages HTML pages reachable from the start URLs without entering {@code /private/}
 * @param robotsTxtFiles one per host
 * @param itemsTotal items over all crawlable pages (each appearance counts; not deduplicated)
 * @param itemsMultisetHash the {@link #itemsHash} of all those items
 * @param privatePages pages under {@code /private/} over all hosts, which must never be fetched
 * @param startUrls the index page of every host, e.g. {@code http://127.0.0.11:PORT/}
 * @param crawlableUrls every crawlable page's absolute URL
 */
public record SiteManifest(
        int crawlablePages,
        int robotsTxtFiles,
        long itemsTotal,
        long itemsMultisetHash,
        int privatePages,
        List<String> startUrls,
        Set<String> crawlableUrls) {

    public SiteManifest {
        startUrls = List.copyOf(startUrls);
        crawlableUrls = Set.copyOf(crawlableUrls);
    }

    /** Computes the manifest of a site by enumerating its pages (nothing is rendered). */
    static SiteManifest of(BookSite site, List<String> startUrls) {
        Set<String> urls = new LinkedHashSet<>();
        List<Map<String, String>> items = new ArrayList<>();
        for (int h = 0; h < site.hosts(); h++) {
            for (int j = 0; j < site.pagesPerHost(); j++) {
                urls.add(site.url(h, j));
                for (BookSite.Item item : site.items(h, j)) {
                    items.add(
                            Map.of(
                                    "title",
                                    item.title(),
                                    "price",
                                    item.price(),
                                    "link",
                                    item.link()));
                }
            }
        }
        return new SiteManifest(
                urls.size(),
                site.hosts(),
                items.size(),
                itemsHash(items),
                site.hosts() * BookSite.PRIVATE_PAGES,
                startUrls,
                urls);
    }

    /**
     * The bench's order-independent multiset hash: the sum, mod 2^64, of the first 8 bytes
     * (big-endian) of {@code sha1(title + "\u001f" + price + "\u001f" + link)} in UTF-8. Each map
     * needs {@code title}, {@code price} and {@code link} (the absolute URL); values are taken with
     * {@code String.valueOf}, so items parsed from JSON work as they are.
     *
     * @throws IllegalArgumentException if an item lacks one of the three keys
     */
    public static long itemsHash(Iterable<? extends Map<String, ?>> items) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
        long sum = 0;
        for (Map<String, ?> item : items) {
            String key =
                    field(item, "title")
                            + "\u001f"
                            + field(item, "price")
                            + "\u001f"
                            + field(item, "link");
            byte[] d = sha1.digest(key.getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (d[i] & 0xFF);
            }
            sum += v;
        }
        return sum;
    }

    private static String field(Map<String, ?> item, String name) {
        Object v = item.get(name);
        if (v == null) {
            throw new IllegalArgumentException("item without '" + name + "': " + item);
        }
        return String.valueOf(v);
    }

    /** The hash as the bench writes it: 16 lower-case hex digits. */
    public String itemsMultisetHashHex() {
        return String.format(Locale.ROOT, "%016x", itemsMultisetHash);
    }

    /**
     * This manifest as pretty-printed JSON with the bench's snake_case names ({@code
     * crawlable_pages}, {@code items_multiset_hash} as hex, ...) plus {@code crawlable_urls}.
     */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("start_urls", startUrls);
        m.put("crawlable_pages", crawlablePages);
        m.put("robots_txt_files", robotsTxtFiles);
        m.put("expected_requests", crawlablePages + robotsTxtFiles);
        m.put("private_pages_total", privatePages);
        m.put("disallowed_prefix", "/private/");
        m.put("items_total", itemsTotal);
        m.put("items_multiset_hash", itemsMultisetHashHex());
        m.put("crawlable_urls", crawlableUrls.stream().sorted().toList());
        try {
            return new ObjectMapper()
                            .enable(SerializationFeature.INDENT_OUTPUT)
                            .writeValueAsString(m)
                    + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings and numbers always serialises", e);
        }
    }

    /** Writes {@link #toJson()} to {@code file} in UTF-8, replacing it. */
    public void writeJson(Path file) throws IOException {
        Files.writeString(Objects.requireNonNull(file, "file"), toJson(), StandardCharsets.UTF_8);
    }
}
