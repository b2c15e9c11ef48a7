package org.arachne.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.arachne.frontier.FrontierException;
import org.arachne.item.export.Exporters;
import org.arachne.item.export.Feed;
import org.arachne.redis.CrawlExport;
import org.arachne.redis.RedisCrawl;
import org.arachne.redis.WorkerRegistration;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code arachne export}: writes a crawl's items from its Redis stream to a file, exactly once and
 * resumably ({@link CrawlExport}): the same command after a kill goes on where it left off, and the
 * stream is trimmed only of what the file holds. By default it writes what the workers have
 * committed and returns; {@code --follow} goes on until the crawl ends.
 */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = {
            "Write a crawl's items from Redis to a file, each once; the same command resumes an"
                    + " interrupted export.",
            "Without --follow it writes what the workers committed so far and exits; with it, it"
                    + " goes on until the crawl is finished or stopped."
        })
final class ExportCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin RedisOptions redis;

    @Option(names = "--crawl", required = true, paramLabel = "NAME", description = "The crawl.")
    String crawl = "";

    @Option(
            names = "-o",
            required = true,
            paramLabel = "FILE",
            description =
                    "The file (.jsonl, .json, .csv): items are appended; an export resumed into"
                            + " the same file goes on exactly where the last one acknowledged.")
    Path file = Path.of("");

    @Option(
            names = "--follow",
            description =
                    "Go on until the crawl is finished (or stopped, with no lease out) and every"
                            + " item is written.")
    boolean follow;

    @Option(
            names = "--worker",
            paramLabel = "NAME",
            description =
                    "Read the stream of a worker that wrote its own file (worker -o) instead of"
                            + " the crawl's: what it committed and did not write before it"
                            + " stopped for good.")
    @Nullable String worker;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        Feed feed = OutputOptions.feed(file, false);
        OutputPaths.checkWritable(file, "-o");
        try (RedisOptions.Connection connection = redis.connect(crawl)) {
            RedisCrawl redisCrawl = connection.crawl();
            if (!follow && !redisCrawl.exists()) {
                throw CliException.config(
                        "no crawl '"
                                + crawl
                                + "' on "
                                + redisCrawl.where()
                                + " (no worker has joined it): nothing to export");
            }
            return export(err, redisCrawl, feed);
        } catch (FrontierException e) {
            throw RedisOptions.failure(e);
        }
    }

    private int export(PrintWriter err, RedisCrawl redisCrawl, Feed feed)
            throws InterruptedException {
        CrawlExport export;
        try {
            export =
                    CrawlExport.open(
                            redisCrawl,
                            worker,
                            feed,
                            WorkerRegistration.CLAIM_LASTS.plusSeconds(2));
        } catch (IllegalArgumentException e) {
            throw CliException.config(e.getMessage());
        } catch (IOException e) {
            throw CliException.config("cannot open -o " + file + ": " + Exporters.reason(e));
        }
        if (export.resumedAt() != null) {
            say(
                    err,
                    "resuming "
                            + file
                            + " at byte "
                            + export.resumedAt()
                            + ", where the last export acknowledged it");
        }
        // Ctrl-C or SIGTERM: the batch being written is finished and acknowledged, then it ends
        AtomicBoolean interrupted = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(1);
        Thread hook =
                new Thread(
                        () -> {
                            interrupted.set(true);
                            export.stop();
                            try {
                                done.await(10, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "arachne-export-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        CrawlExport.Result result;
        try (export) {
            result = export.run(follow);
        } catch (IOException e) {
            throw new CliException(
                    ExitCodes.OUTPUT_FAILED,
                    "cannot write "
                            + file
                            + ": "
                            + Exporters.reason(e)
                            + "; the same command goes on from the last acknowledgement",
                    e);
        } finally {
            done.countDown();
            removeHook(hook);
        }
        say(
                err,
                "exported "
                        + result.items()
                        + " items ("
                        + result.batches()
                        + " batches) of crawl '"
                        + crawl
                        + "' to "
                        + file);
        if (result.ended()) {
            say(err, "the crawl has ended and every item is exported");
        } else if (result.batchesLeft() > 0) {
            say(
                    err,
                    result.batchesLeft()
                            + " batches came in meanwhile: run the same command again, or with"
                            + " --follow");
        }
        return interrupted.get() ? ExitCodes.INTERRUPTED : ExitCodes.OK;
    }

    /** Removes the stop hook, unless the JVM is shutting down already (it is running then). */
    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs now and waits for this export's end
        }
    }

    private static void say(PrintWriter err, String line) {
        err.println("arachne: " + line);
        err.flush();
    }
}
