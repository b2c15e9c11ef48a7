package org.arachne.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.arachne.url.Urls;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What does one URL cost: resolving an href against its page, and canonicalising the result for
 * deduplication? Every link of the bench pages, as written in the page, plus a few absolute,
 * protocol-relative and untidy hrefs that real sites have and the bench site does not.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class UrlBenchmark {
    /** Hrefs of other shapes, mixed in once per page. */
    private static final List<String> OTHER_HREFS =
            List.of(
                    "http://127.0.0.12:8080/catalogue/book-00042.html",
                    "HTTPS://Example.COM:443/shop/./books/../books/index.html?b=2&a=1#top",
                    "//cdn.example.com/img/cover%20large.jpg",
                    "?page=2",
                    "#reviews",
                    "../catalogue/book-00003.html",
                    "  book-00009.html\n",
                    "/search?q=白鹿原 典藏本&sort=price");

    private Cycle<Href> hrefs;
    private Cycle<String> absolute;

    /** One href as it appears on the page at {@code base}. */
    record Href(String base, String href) {}

    @Setup
    public void setUp() {
        List<Href> all = new ArrayList<>();
        for (BenchPage page : BenchPages.load()) {
            for (Element a : Jsoup.parse(page.html(), page.url()).select("a[href]")) {
                all.add(new Href(page.url(), a.attr("href")));
            }
            OTHER_HREFS.forEach(h -> all.add(new Href(page.url(), h)));
        }
        hrefs = new Cycle<>(all);
        absolute = new Cycle<>(all.stream().map(h -> Urls.resolve(h.base(), h.href())).toList());
    }

    @Benchmark
    public String resolve() {
        Href h = hrefs.next();
        return Urls.resolve(h.base(), h.href());
    }

    @Benchmark
    public String canonicalize() {
        return Urls.canonicalize(absolute.next());
    }
}
