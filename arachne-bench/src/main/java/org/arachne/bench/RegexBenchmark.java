package org.arachne.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.arachne.select.Page;
import org.arachne.select.PythonRegex;
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
 * What does {@code Selection.re} cost on the item texts of one page, and what do Python's syntax
 * and Unicode classes ({@link PythonRegex}, what {@code re(String)} uses) add over a plain Java
 * {@link Pattern}? The same regexes both ways, on the titles and prices selected once in setup.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RegexBenchmark {
    private static final List<String> REGEXES =
            List.of("£([\\d.]+)", "\\b\\w+\\b", "(?:^|\\s)(\\d+)(?:\\s|$)");

    private Cycle<Selection> texts;
    private final List<Pattern> java = new ArrayList<>();
    private final List<Pattern> python = new ArrayList<>();

    @Setup
    public void setUp() {
        List<Selection> selections = new ArrayList<>();
        for (BenchPage input : BenchPages.load()) {
            Page page = Page.parse(input.html(), input.url());
            selections.add(page.css("h3 a::attr(title), p.price_color::text"));
        }
        texts = new Cycle<>(selections);
        for (String regex : REGEXES) {
            java.add(Pattern.compile(regex));
            python.add(PythonRegex.compile(regex));
        }
    }

    @Benchmark
    public void javaPattern(Blackhole bh) {
        Selection page = texts.next();
        for (Pattern pattern : java) {
            bh.consume(page.re(pattern));
        }
    }

    @Benchmark
    public void pythonRegex(Blackhole bh) {
        Selection page = texts.next();
        for (Pattern pattern : python) {
            bh.consume(page.re(pattern));
        }
    }

    @Benchmark
    public void pythonRegexByString(Blackhole bh) {
        Selection page = texts.next();
        for (String regex : REGEXES) {
            bh.consume(page.re(regex));
        }
    }
}
