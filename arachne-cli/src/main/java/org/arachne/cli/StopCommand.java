package org.arachne.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.arachne.frontier.FrontierException;
import org.arachne.redis.RedisCrawl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code arachne stop}: ends a crawl on Redis early and gracefully. Every worker takes no more
 * requests, finishes those it holds and exits 0; what is queued stays queued, and a worker started
 * later says the crawl was stopped and exits 0, unless {@code --resume} lets it go on.
 */
@Command(
        name = "stop",
        mixinStandardHelpOptions = true,
        description =
                "Stop a crawl on Redis: every worker finishes the requests it holds and exits 0.")
final class StopCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin RedisOptions redis;

    @Option(names = "--crawl", required = true, paramLabel = "NAME", description = "The crawl.")
    String crawl = "";

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try (RedisOptions.Connection connection = redis.connect(crawl)) {
            RedisCrawl redisCrawl = connection.crawl();
            RedisCrawl.Stopped stopped = redisCrawl.stop();
            if (stopped == null) {
                throw CliException.config(
                        "no crawl '" + crawl + "' on " + redisCrawl.where() + ": nothing to stop");
            }
            err.println(
                    "arachne: crawl '"
                            + crawl
                            + "' stopped at "
                            + stopped.at()
                            + "; its workers finish the "
                            + stopped.leasesOut()
                            + " requests they hold and exit (arachne status shows when);"
                            + " arachne worker --resume goes on with it");
            err.flush();
            return ExitCodes.OK;
        } catch (FrontierException e) {
            throw RedisOptions.failure(e);
        }
    }
}
