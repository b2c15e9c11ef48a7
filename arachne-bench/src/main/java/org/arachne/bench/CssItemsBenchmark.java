package org.arachne.bench;

import java.util.concurrent.TimeUnit;
import org.arachne.select.Page;
import org.arachne.select.Selection;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What does extracting the items of one page with CSS cost, parse included? The same items as
 * {@link XPathItemsBenchmark}, with parsel's {@code ::text} and {@code ::attr()} through {@link
 * Page#css}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CssItemsBenchmark {
    private Cycle<BenchPage> pages;

    @Setup
    public void setUp() {
        pages = new Cycle<>(BenchPages.load());
    }

    @Benchmark
    public void items(Blackhole bh) {
        BenchPage input = pages.next();
        Page page = Page.parse(input.html(), input.url());
        for (Selection item : page.css("article.product_pod")) {
            bh.consume(item.css("h3 a::attr(title)").get());
            bh.consume(item.css("p.price_color::text").get());
            bh.consume(item.css("h3 a::attr(href)").get());
        }
    }
}
