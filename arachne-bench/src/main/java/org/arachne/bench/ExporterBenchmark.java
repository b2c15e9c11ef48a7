package org.arachne.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.arachne.item.Item;
import org.arachne.item.export.CsvExporter;
import org.arachne.item.export.Exporter;
import org.arachne.item.export.JsonLinesExporter;
import org.arachne.select.Page;
import org.arachne.select.Selection;
import org.arachne.url.Urls;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * How many items per second can an exporter write? The items of the bench pages (titles with
 * Chinese text, {@code &} and accents, £ prices, absolute links) go to a buffered stream that
 * discards its bytes, so the figure is serialisation and encoding, not the disk.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ExporterBenchmark {
    private Cycle<Item> items;
    private Exporter jsonLines;
    private Exporter csv;

    @Setup(Level.Trial)
    public void extractItems() {
        List<Item> all = new ArrayList<>();
        for (BenchPage input : BenchPages.load()) {
            Page page = Page.parse(input.html(), input.url());
            for (Selection item : page.css("article.product_pod")) {
                String title = item.css("h3 a::attr(title)").get("");
                String price = item.css("p.price_color::text").get("");
                String href = item.css("h3 a::attr(href)").get("");
                all.add(
                        Item.of(
                                "title", title,
                                "price", price,
                                "link", Urls.resolve(input.url(), href)));
            }
        }
        items = new Cycle<>(all);
    }

    @Setup(Level.Iteration)
    public void open() {
        jsonLines = new JsonLinesExporter(discarding());
        csv = new CsvExporter(discarding(), null);
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
        jsonLines.close();
        csv.close();
    }

    @Benchmark
    public void jsonLines() throws IOException {
        jsonLines.export(items.next());
    }

    @Benchmark
    public void csv() throws IOException {
        csv.export(items.next());
    }

    /** Buffered as a feed file is, so the exporter sees the same stream it gets in a crawl. */
    private static OutputStream discarding() {
        return new BufferedOutputStream(OutputStream.nullOutputStream(), 64 * 1024);
    }
}
