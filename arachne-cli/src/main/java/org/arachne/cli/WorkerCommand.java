package org.arachne.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.arachne.engine.CrawlResult;
import org.arachne.engine.Crawler;
import org.arachne.engine.Setting;
import org.arachne.engine.StatKeys;
import org.arachne.engine.StatsView;
import org.arachne.frontier.FrontierException;
import org.arachne.frontier.FrontierFactory;
import org.arachne.item.ItemPipeline;
import org.arachne.item.export.Feed;
import org.arachne.item.export.FeedFile;
import org.arachne.redis.RedisCrawl;
import org.arachne.redis.RedisFrontier;
import org.arachne.redis.RedisFrontierOptions;
import org.arachne.redis.WorkerRegistration;
import org.arachne.redis.WorkerReport;
import org.arachne.spider.Spider;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code arachne worker}: one of any number of processes, on any number of machines, that crawl one
 * crawl together on Redis ({@link RedisFrontier}). It joins or leaves at any time; the start URLs
 * are queued once however many start; it exits 0 when the crawl is finished (nothing queued, no
 * lease out, for all workers) or stopped by {@code arachne stop}. Its items go to the crawl's
 * stream for {@code arachne export}, or with {@code -o} to its own stream, which it writes to its
 * own files and resumes when a worker of the same name starts again.
 */
@Command(
        name = "worker",
        mixinStandardHelpOptions = true,
        description = {
            "Crawl as one of many workers sharing one crawl in Redis (one server or a Redis"
                    + " Cluster).",
            "Items go to the crawl's stream in Redis (arachne export writes them to a file), or"
                    + " with -o to this worker's own files. Exits 0 when the crawl is finished or"
                    + " stopped (arachne stop)."
        })
final class WorkerCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin CommonOptions common;

    @Mixin RedisOptions redis;

    @Mixin SpiderArgumentOptions arguments;

    @Mixin PipelineOptions pipelines;

    @ArgGroup(multiplicity = "1")
    CrawlCommand.Source source;

    @Option(
            names = {"-cp", "--classpath"},
            paramLabel = "PATH",
            description =
                    "Jars or folders to load --class and --pipeline (and a spider file's"
                            + " pipelines:) from, separated by the path separator.")
    String classPath = "";

    @Option(
            names = {"-o"},
            paramLabel = "FILE",
            description =
                    "Write this worker's own items to FILE (.jsonl, .json, .csv) instead of the"
                            + " crawl's stream; a worker of the same name (--worker; by default"
                            + " named after this host and the file) resumes it exactly where it"
                            + " stopped. Repeatable.")
    List<Path> files = new java.util.ArrayList<>();

    @Option(
            names = "--crawl",
            paramLabel = "NAME",
            description = "The crawl to join (default: the spider's name).")
    @Nullable String crawlName;

    @Option(
            names = "--worker",
            paramLabel = "NAME",
            description =
                    "This worker's name in the crawl, held by one process at a time (default:"
                            + " host-pid; with -o, host-file, so the same command resumes its"
                            + " file).")
    @Nullable String workerName;

    @Option(
            names = "--partitions",
            paramLabel = "N",
            description =
                    "The number of partitions of the crawl, if this worker makes it (1 to "
                            + RedisFrontierOptions.MAX_PARTITIONS
                            + "): each under a hash tag of its own, so that a crawl bigger than"
                            + " one shard spreads over a Redis Cluster. Default: as the crawl"
                            + " has, 1 when this worker makes it; a crawl made with another"
                            + " number refuses the worker.")
    @Nullable Integer partitions;

    @Option(
            names = "--resume",
            description =
                    "Go on with a crawl that arachne stop stopped (without it, a worker on a"
                            + " stopped crawl says so and exits 0).")
    boolean resume;

    @Option(
            names = "--stats-json",
            paramLabel = "FILE",
            description = "Write the final status and every stat counter to FILE as JSON.")
    @Nullable Path statsJson;

    @Option(
            names = "--fail-on-error",
            description = "Exit with 5 when the crawl finished but had errors.")
    boolean failOnError;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        if (partitions != null
                && (partitions < 1 || partitions > RedisFrontierOptions.MAX_PARTITIONS)) {
            throw CliException.config(
                    "--partitions: "
                            + partitions
                            + " is not between 1 and "
                            + RedisFrontierOptions.MAX_PARTITIONS);
        }
        Map<String, String> settings = common.checkedSettings();
        if (settings.containsKey(Setting.JOB_DIR.key())) {
            throw CliException.config(
                    "-s job_dir: a worker keeps its crawl in Redis; a job dir is for arachne crawl");
        }
        Spiders.Loaded loaded = Spiders.load(source, arguments.arguments, classPath);
        Spider spider = loaded.spider();
        String spiderSource = loaded.source();
        List<ItemPipeline> itemPipelines = pipelines.load(loaded, classPath);
        String crawl = crawlName != null ? crawlName : spider.name();
        List<Feed> feeds = files.stream().map(p -> OutputOptions.feed(p, false)).toList();
        for (Feed feed : feeds) {
            OutputPaths.checkWritable(feed.path(), "output");
        }
        boolean ownFiles = !feeds.isEmpty();
        String worker = workerName != null ? workerName : defaultName(feeds);
        RedisFrontierOptions options;
        try {
            options =
                    RedisFrontierOptions.defaults()
                            .withPartitions(partitions == null ? 0 : partitions)
                            .withWorker(worker)
                            .withItems(
                                    ownFiles
                                            ? RedisFrontierOptions.Items.WORKER_STREAM
                                            : RedisFrontierOptions.Items.FOR_EXPORT);
        } catch (IllegalArgumentException e) {
            throw CliException.config("--worker: " + e.getMessage());
        }
        try (RedisOptions.Connection connection = redis.connect(crawl)) {
            return work(
                    err, connection, options, spider, spiderSource, settings, feeds, itemPipelines);
        } catch (FrontierException e) {
            throw RedisOptions.failure(e);
        }
    }

    private int work(
            PrintWriter err,
            RedisOptions.Connection connection,
            RedisFrontierOptions options,
            Spider spider,
            String spiderSource,
            Map<String, String> settings,
            List<Feed> feeds,
            List<ItemPipeline> itemPipelines)
            throws InterruptedException {
        RedisCrawl crawl = connection.crawl();
        String worker = options.worker();
        boolean ownFiles = !feeds.isEmpty();
        Instant stopped = crawl.stoppedAt();
        if (stopped != null) {
            if (!resume) {
                say(
                        err,
                        "crawl '"
                                + crawl.crawl()
                                + "' on "
                                + crawl.where()
                                + " was stopped by arachne stop at "
                                + stopped
                                + "; this worker does nothing (give --resume to go on with it)");
                return ExitCodes.OK;
            }
            crawl.resume();
            say(err, "crawl '" + crawl.crawl() + "' was stopped at " + stopped + "; resuming it");
        }
        String output =
                ownFiles
                        ? String.join(", ", feeds.stream().map(f -> f.path().toString()).toList())
                        : "stream";
        AtomicReference<@Nullable Crawler> running = new AtomicReference<>();
        AtomicBoolean stoppedByCommand = new AtomicBoolean();
        AtomicBoolean nameLost = new AtomicBoolean();
        AtomicBoolean ended = new AtomicBoolean();
        WorkerRegistration registration =
                WorkerRegistration.register(
                        crawl,
                        worker,
                        WorkerRegistration.CLAIM_LASTS.plusSeconds(2),
                        () -> report(running.get(), output, "running"),
                        lost -> {
                            nameLost.set(true);
                            say(err, "worker '" + worker + "' " + lost + "; stopping");
                            Crawler c = running.get();
                            if (c != null) {
                                c.stop();
                            }
                        });
        try {
            long left = crawl.releaseLeases(worker);
            if (left > 0) {
                say(
                        err,
                        left
                                + " leases of an earlier worker named '"
                                + worker
                                + "' given back: their requests are queued again");
            }
            FrontierFactory frontier =
                    setup ->
                            connection
                                    .endpoint()
                                    .openFrontier(setup.withCrawl(crawl.crawl()), options);
            Crawler crawler =
                    CrawlSession.build(spider, settings, feeds, null, frontier, itemPipelines);
            running.set(crawler);
            common.applyLogLevel(crawler.settings());
            say(
                    err,
                    "worker '"
                            + worker
                            + "' joins crawl '"
                            + crawl.crawl()
                            + "' on "
                            + crawl.where()
                            + (ownFiles
                                    ? "; its items go to " + output
                                    : "; its items go to the crawl's stream (arachne export"
                                            + " writes them to a file)"));
            CrawlSession session =
                    new CrawlSession(
                            err,
                            Progress.stderrIsTerminal(),
                            "the crawl's stream in Redis (arachne export --crawl "
                                    + crawl.crawl()
                                    + " -o FILE writes them)");
            CrawlResult result;
            try (RedisCrawl.Listener listener =
                    crawl.onStop(
                            () -> {
                                stoppedByCommand.set(true);
                                say(
                                        err,
                                        "crawl '"
                                                + crawl.crawl()
                                                + "' stopped by arachne stop: finishing the"
                                                + " requests in flight");
                                crawler.stop();
                            })) {
                result = session.run(crawler, spiderSource, feeds, statsJson);
            }
            boolean byCommand =
                    stoppedByCommand.get()
                            && result.status() == CrawlResult.Status.STOPPED
                            && !session.interrupted();
            releaseAtExit(err, crawl, worker);
            String state = state(result, byCommand, session.interrupted());
            registration.ended(report(crawler, output, state));
            ended.set(true);
            if (nameLost.get()) {
                return ExitCodes.ABORTED;
            }
            if (byCommand) {
                say(err, "crawl '" + crawl.crawl() + "' was stopped (arachne stop); exiting");
                return ExitCodes.OK;
            }
            if (result.status() == CrawlResult.Status.FINISHED) {
                say(
                        err,
                        "crawl '"
                                + crawl.crawl()
                                + "' is finished: nothing queued and no lease out for any worker");
            }
            return session.exitCode(result, failOnError);
        } finally {
            if (!ended.get()) {
                registration.ended(report(running.get(), output, "aborted"));
            }
            registration.close();
        }
    }

    /**
     * Gives back a lease taken as the crawl stopped, whose take's reply was abandoned: queued again
     * now rather than at its deadline. When Redis cannot be reached, the deadline does it.
     */
    private static void releaseAtExit(PrintWriter err, RedisCrawl crawl, String worker) {
        try {
            crawl.releaseLeases(worker);
        } catch (FrontierException e) {
            say(err, "could not give back the leases left under its name: " + e.getMessage());
        }
    }

    /** How the worker ended, for its entry in {@code arachne status}. */
    private static String state(CrawlResult result, boolean byCommand, boolean interrupted) {
        if (interrupted) {
            return "interrupted";
        }
        return switch (result.status()) {
            case FINISHED -> "finished";
            case CLOSED -> "closed";
            case STOPPED -> byCommand ? "stopped" : "interrupted";
            case ABORTED -> "aborted";
            case OUTPUT_FAILED -> "output_failed";
        };
    }

    private static WorkerReport report(@Nullable Crawler crawler, String output, String state) {
        StatsView stats = crawler == null ? null : crawler.stats();
        return new WorkerReport(
                WorkerRegistration.host(),
                ProcessHandle.current().pid(),
                output,
                state,
                stats == null ? 0 : stats.get(StatKeys.RESPONSE_RECEIVED_COUNT),
                stats == null ? 0 : stats.get(StatKeys.ITEM_SCRAPED_COUNT),
                stats == null ? 0 : stats.get(StatKeys.ERROR_COUNT),
                stats == null ? 0 : stats.get(StatKeys.DEAD_LETTER_COUNT));
    }

    /**
     * The default name: {@code host-pid}; for a worker writing its own files, {@code
     * host-file-hash} (the first file's name and a hash of its absolute path), the same for the
     * same command on the same host, so that it resumes its files.
     */
    static String defaultName(List<Feed> feeds) {
        String host = clean(WorkerRegistration.host());
        if (feeds.isEmpty()) {
            return host + "-" + ProcessHandle.current().pid();
        }
        Feed first = feeds.getFirst();
        String file = clean(String.valueOf(first.path().getFileName()));
        String hash = String.format(Locale.ROOT, "%08x", FeedFile.key(first).hashCode());
        String name = host + "-" + file + "-" + hash;
        return name.length() <= 100 ? name : name.substring(name.length() - 100);
    }

    /** Letters, digits, '.', '_' and '-' only, at most 60 of them. */
    private static String clean(String text) {
        String cleaned = text.replaceAll("[^A-Za-z0-9._-]", "");
        if (cleaned.isEmpty()) {
            return "worker";
        }
        return cleaned.length() > 60 ? cleaned.substring(0, 60) : cleaned;
    }

    private static void say(PrintWriter err, String line) {
        StatusLine.aroundShown(
                () -> {
                    synchronized (err) {
                        err.println("arachne: " + line);
                        err.flush();
                    }
                });
    }
}
