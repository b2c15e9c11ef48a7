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
 * What does extracting the items of one page with XPath cost, parse included? The bench site's item
 * rule as a Scrapy user writes it, through {@link Page#xpath}; compare with {@link
 * CssItemsBenchmark} (the design requires XPath to stay as fast as CSS) and {@link ParseBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class XPathItemsBenchmark {
    private Cycle<BenchPage> pages;

    @Setup
    public void setUp() {
        pages = new Cycle<>(BenchPages.load());
    }

    @Benchmark
    public void items(Blackhole bh) {
        BenchPage input = pages.next();
        Page page = Page.parse(input.html(), input.url());
        for (Selection item : page.xpath("//article[@class='product_pod']")) {
            bh.consume(item.xpath("h3/a/@title").get());
            bh.consume(item.xpath(".//p[@class='price_color']/text()").get());
            bh.consume(item.xpath("h3/a/@href").get());
        }
    }
}
