package org.arachne.bench;

import java.util.concurrent.TimeUnit;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * How long does jsoup take to parse one bench page? The baseline every other per-page figure is
 * compared with: selectors and link extraction should cost a fraction of it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ParseBenchmark {
    private Cycle<BenchPage> pages;

    @Setup
    public void setUp() {
        pages = new Cycle<>(BenchPages.load());
    }

    @Benchmark
    public Document parse() {
        BenchPage page = pages.next();
        return Jsoup.parse(page.html(), page.url());
    }
}
