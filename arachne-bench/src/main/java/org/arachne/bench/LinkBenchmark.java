package org.arachne.bench;

import java.util.concurrent.TimeUnit;
import org.arachne.frontier.Fingerprint;
import org.arachne.http.Request;
import org.arachne.select.Link;
import org.arachne.select.LinkExtractor;
import org.arachne.select.Page;
import org.arachne.url.Urls;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What does following the links of one parsed page cost before they reach the frontier? Per page:
 * {@link LinkExtractor} with Scrapy's defaults (resolve, filter, drop duplicates), then per link
 * {@link Urls#canonicalize} and the {@link Fingerprint} of its request. Pages are parsed in setup,
 * so the parse ({@link ParseBenchmark}) is not counted twice.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LinkBenchmark {
    private final LinkExtractor extractor = LinkExtractor.builder().build();
    private Cycle<Page> pages;

    @Setup
    public void setUp() {
        pages =
                new Cycle<>(
                        BenchPages.load().stream()
                                .map(p -> Page.parse(p.html(), p.url()))
                                .toList());
    }

    @Benchmark
    public void links(Blackhole bh) {
        for (Link link : extractor.extract(pages.next())) {
            String canonical = Urls.canonicalize(link.url());
            bh.consume(Fingerprint.of(Request.get(canonical)));
        }
    }
}
