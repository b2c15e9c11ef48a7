package org.arachne.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The pages every benchmark works on, so that all figures are per page of the same realistic input:
 * book pages of {@code shared/bench/gen-site.py} (15–25 KB, 10–20 items, ~20 relative links,
 * Chinese titles, £ prices).
 *
 * <p>By default the eight pages committed under {@code org/arachne/bench/pages/} (generated with
 * {@code --hosts 1 --pages 200 --seed 1 --port 8080}: the index and books 1–7), so a benchmark runs
 * standalone. When the environment variable {@value #SITE_ENV} names a generated site, every page
 * of its first host is used instead.
 */
final class BenchPages {
    /** Environment variable naming the output folder of {@code gen-site.py}. */
    static final String SITE_ENV = "ARACHNE_BENCH_SITE";

    private static final String FIXTURE_BASE = "http://127.0.0.11:8080/";
    private static final List<String> FIXTURES =
            List.of(
                    "index.html",
                    "book-00001.html",
                    "book-00002.html",
                    "book-00003.html",
                    "book-00004.html",
                    "book-00005.html",
                    "book-00006.html",
                    "book-00007.html");

    private BenchPages() {}

    /**
     * The pages, in a fixed order: the site's when {@value #SITE_ENV} is set, else the fixtures.
     */
    static List<BenchPage> load() {
        String site = System.getenv(SITE_ENV);
        try {
            return site == null || site.isBlank() ? fixtures() : fromSite(Path.of(site));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<BenchPage> fixtures() throws IOException {
        List<BenchPage> pages = new ArrayList<>();
        for (String name : FIXTURES) {
            try (InputStream in = BenchPages.class.getResourceAsStream("pages/" + name)) {
                if (in == null) {
                    throw new IOException("fixture page missing from the jar: pages/" + name);
                }
                String url =
                        name.equals("index.html")
                                ? FIXTURE_BASE
                                : FIXTURE_BASE + "catalogue/" + name;
                pages.add(
                        new BenchPage(url, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
        }
        return pages;
    }

    /** The start page and the catalogue of the first host listed in {@code start-urls.txt}. */
    private static List<BenchPage> fromSite(Path site) throws IOException {
        String start =
                Files.readAllLines(site.resolve("start-urls.txt"), StandardCharsets.UTF_8).get(0);
        Path root = site.resolve("hosts").resolve(URI.create(start).getHost());
        List<BenchPage> pages = new ArrayList<>();
        pages.add(
                new BenchPage(
                        start,
                        Files.readString(root.resolve("index.html"), StandardCharsets.UTF_8)));
        try (Stream<Path> books = Files.list(root.resolve("catalogue"))) {
            for (Path book : books.sorted().toList()) {
                String url = start + "catalogue/" + book.getFileName();
                pages.add(new BenchPage(url, Files.readString(book, StandardCharsets.UTF_8)));
            }
        }
        return pages;
    }
}
