package org.arachne.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.arachne.engine.CrawlResult;
import org.arachne.engine.Crawler;
import org.arachne.engine.Setting;
import org.arachne.item.ItemPipeline;
import org.arachne.item.export.Feed;
import org.arachne.spider.Spider;
import org.arachne.spider.yaml.DeclarativeSpider;
import org.arachne.spider.yaml.OutputDefinition;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code arachne crawl}: runs a YAML spider ({@code crawl books.yaml}) or a Java spider class
 * ({@code crawl --class com.acme.BooksSpider -cp spiders.jar}) with live progress and a summary;
 * {@code -a key=value} gives a YAML spider its arguments.
 */
@Command(
        name = "crawl",
        mixinStandardHelpOptions = true,
        description = "Crawl with a YAML spider file or a Java spider class.")
final class CrawlCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin CommonOptions common;

    @Mixin OutputOptions output;

    @Mixin SpiderArgumentOptions arguments;

    @Mixin PipelineOptions pipelines;

    @ArgGroup(multiplicity = "1")
    Source source;

    static final class Source {
        @Parameters(paramLabel = "SPIDER.yaml", description = "A YAML spider file.")
        @Nullable Path yaml;

        @Option(
                names = "--class",
                paramLabel = "CLASS",
                description =
                        "A class implementing org.arachne.spider.Spider with a public no-argument"
                                + " constructor.")
        @Nullable String className;
    }

    @Option(
            names = {"-cp", "--classpath"},
            paramLabel = "PATH",
            description =
                    "Jars or folders to load --class and --pipeline (and a spider file's"
                            + " pipelines:) from, separated by the path separator.")
    String classPath = "";

    @Option(
            names = "--job-dir",
            paramLabel = "DIR",
            description =
                    "Keep the crawl's state in DIR, so that the same command resumes it after any"
                            + " stop (Ctrl-C, kill -9, a reboot) with every item once in the"
                            + " outputs; the job_dir setting.")
    @Nullable Path jobDir;

    @Option(
            names = "--failed",
            paramLabel = "FILE",
            description =
                    "List every request that failed for good in FILE, one JSON object per line"
                            + " (url, method, reason, attempts, status, failed_at); with --job-dir"
                            + " the list is DIR/failed.jsonl unless this says otherwise; the"
                            + " failed_file setting.")
    @Nullable Path failed;

    @Option(
            names = "--retry-failed",
            description =
                    "With --job-dir: queue the requests that failed for good in earlier runs"
                            + " again, then go on (a finished job crawls just them); the"
                            + " retry_failed setting.")
    boolean retryFailed;

    @Override
    public Integer call() {
        Map<String, String> settings = new LinkedHashMap<>(common.checkedSettings());
        if (jobDir != null) {
            settings.put(Setting.JOB_DIR.key(), jobDir.toString());
        }
        if (failed != null) {
            settings.put(Setting.FAILED_FILE.key(), failed.toString());
        }
        if (retryFailed) {
            settings.put(Setting.RETRY_FAILED.key(), "true");
        }
        Spiders.Loaded loaded = Spiders.load(source, arguments.arguments, classPath);
        Spider spider = loaded.spider();
        String spiderSource = loaded.source();
        List<Feed> feeds = new ArrayList<>(output.feeds());
        if (feeds.isEmpty()
                && spider instanceof DeclarativeSpider declarative
                && declarative.definition().output() instanceof OutputDefinition file) {
            // relative to the working directory, as -o and -O
            feeds.add(OutputOptions.feed(Path.of(file.path()), file.overwrite()));
        }
        List<ItemPipeline> itemPipelines = pipelines.load(loaded, classPath);
        Crawler crawler =
                CrawlSession.build(
                        spider, settings, feeds, output.fetchedUrls, null, itemPipelines);
        output.checkWritable(feeds, crawler.settings().get(Setting.JOB_DIR).isPresent());
        if (failed != null) {
            OutputPaths.checkWritable(failed, "--failed");
        }
        common.applyLogLevel(crawler.settings());
        CrawlSession session =
                new CrawlSession(spec.commandLine().getErr(), Progress.stderrIsTerminal());
        CrawlResult result = session.run(crawler, spiderSource, feeds, output.statsJson);
        return session.exitCode(result, output.failOnError);
    }
}
