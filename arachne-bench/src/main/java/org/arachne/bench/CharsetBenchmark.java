package org.arachne.bench;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.arachne.http.CharsetDetector;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What does turning a page's bytes into text cost, by how its charset is found? {@link
 * CharsetDetector#detect} then {@link CharsetDetector#decode} on the bench pages: UTF-8 named by
 * the {@code Content-Type} header, UTF-8 named only by {@code <meta charset>}, and GBK with neither
 * (the detector has to sniff the bytes).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CharsetBenchmark {
    private static final String META_UTF8 = "<meta charset=\"utf-8\">";

    /** GB18030 is the GBK superset that browsers decode GBK as; GBK itself has no £ sign. */
    private static final Charset GBK = Charset.forName("GB18030");

    private Cycle<byte[]> utf8;
    private Cycle<byte[]> gbk;

    @Setup
    public void setUp() {
        List<BenchPage> pages = BenchPages.load();
        utf8 =
                new Cycle<>(
                        pages.stream()
                                .map(p -> p.html().getBytes(StandardCharsets.UTF_8))
                                .toList());
        gbk =
                new Cycle<>(
                        pages.stream()
                                .map(p -> p.html().replace(META_UTF8, "").getBytes(GBK))
                                .toList());
    }

    @Benchmark
    public String headerCharset() {
        byte[] body = utf8.next();
        return CharsetDetector.decode(
                body, CharsetDetector.detect("text/html; charset=utf-8", body));
    }

    @Benchmark
    public String metaCharset() {
        byte[] body = utf8.next();
        return CharsetDetector.decode(body, CharsetDetector.detect("text/html", body));
    }

    @Benchmark
    public String sniffedGbk() {
        byte[] body = gbk.next();
        return CharsetDetector.decode(body, CharsetDetector.detect("text/html", body));
    }
}
