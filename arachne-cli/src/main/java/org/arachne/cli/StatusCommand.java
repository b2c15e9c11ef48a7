package org.arachne.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.arachne.frontier.FrontierException;
import org.arachne.redis.CrawlStatus;
import org.arachne.redis.WorkerReport;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code arachne status}: a crawl on Redis for all its workers together (queued, in flight, done,
 * failed, items), per host and per worker, read in one step without changing anything. Safe while
 * the crawl runs; {@code --json} for scripts. Credentials are never shown.
 */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description =
                "Show a crawl on Redis: queued, in flight, done, failed, items, per host and per"
                        + " worker.")
final class StatusCommand implements Callable<Integer> {
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec CommandSpec spec;

    @Mixin RedisOptions redis;

    @Option(names = "--crawl", required = true, paramLabel = "NAME", description = "The crawl.")
    String crawl = "";

    @Option(names = "--json", description = "Print the status as JSON (durations in ms).")
    boolean json;

    @Option(
            names = "--hosts",
            paramLabel = "N",
            description = "Show the N hosts with most requests queued (default: 20; JSON: all).")
    int hostsShown = 20;

    @Override
    public Integer call() {
        if (hostsShown < 0) {
            throw CliException.config("--hosts: " + hostsShown + " is below 0");
        }
        PrintWriter out = spec.commandLine().getOut();
        CrawlStatus status;
        String where;
        try (RedisOptions.Connection connection = redis.connect(crawl)) {
            where = connection.crawl().where();
            status = connection.crawl().status();
        } catch (FrontierException e) {
            throw RedisOptions.failure(e);
        }
        if (status == null) {
            throw CliException.config(
                    "no crawl '" + crawl + "' on " + where + " (no worker has joined it)");
        }
        if (json) {
            try {
                out.println(JSON.writeValueAsString(json(status, where)));
            } catch (JsonProcessingException e) {
                throw new CliException(ExitCodes.INTERNAL, "cannot write the status as JSON", e);
            }
        } else {
            out.print(text(status, where, hostsShown));
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** The status as lines of text, at most {@code hostsShown} hosts. */
    static String text(CrawlStatus s, String where, int hostsShown) {
        StringBuilder sb = new StringBuilder();
        sb.append("crawl ")
                .append(s.crawl())
                .append(" on ")
                .append(where)
                .append(": ")
                .append(s.state().name().toLowerCase(Locale.ROOT))
                .append('\n');
        line(
                sb,
                "queued",
                s.queued()
                        + (s.retriesWaiting() > 0
                                ? " (" + s.retriesWaiting() + " retries waiting for their time)"
                                : ""));
        line(
                sb,
                "in flight",
                s.inFlight()
                        + (s.inFlightExpired() > 0
                                ? " ("
                                        + s.inFlightExpired()
                                        + " past their deadline: their worker is gone, they are"
                                        + " queued again at the next take)"
                                : ""));
        line(sb, "done", String.valueOf(s.done()));
        line(sb, "retried", String.valueOf(s.retried()));
        line(sb, "failed for good", String.valueOf(s.failed()));
        line(sb, "leases expired", String.valueOf(s.leasesExpired()));
        line(sb, "seen", String.valueOf(s.seen()));
        line(
                sb,
                "item batches",
                s.itemBatches()
                        + " committed to the stream, "
                        + s.itemBatchesExported()
                        + " exported, "
                        + (s.itemBatches() - s.itemBatchesExported())
                        + " waiting for arachne export");
        if (s.stoppedAt() != null) {
            line(sb, "stopped", s.stoppedAt() + " (arachne stop)");
        }
        if (!s.hosts().isEmpty()) {
            sb.append("hosts with work (most queued first)\n");
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "  %-32s %8s %9s %8s %7s %7s %10s %8s %6s %8s\n",
                            "SLOT",
                            "QUEUED",
                            "IN FLIGHT",
                            "DONE",
                            "FAILED",
                            "PERMITS",
                            "NEXT START",
                            "PAUSED",
                            "ERRORS",
                            "DELAY"));
            for (CrawlStatus.Host h :
                    s.hosts().subList(0, Math.min(hostsShown, s.hosts().size()))) {
                sb.append(
                        String.format(
                                Locale.ROOT,
                                "  %-32s %8d %9d %8d %7d %7d %10s %8s %6d %8s\n",
                                h.slot(),
                                h.queued(),
                                h.inFlight(),
                                h.done(),
                                h.failed(),
                                h.concurrency(),
                                h.nextStartIn().isZero() ? "now" : "in " + seconds(h.nextStartIn()),
                                h.pausedFor().isZero() ? "-" : seconds(h.pausedFor()),
                                h.errorStreak(),
                                seconds(h.delay())));
            }
            if (s.hosts().size() > hostsShown) {
                sb.append("  and ")
                        .append(s.hosts().size() - hostsShown)
                        .append(" more (--hosts N, or --json)\n");
            }
        }
        if (!s.workers().isEmpty()) {
            sb.append("workers\n");
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "  %-28s %-12s %6s %8s %8s %6s %6s %10s  %s\n",
                            "NAME",
                            "STATE",
                            "LEASES",
                            "PAGES",
                            "ITEMS",
                            "ERRORS",
                            "FAILED",
                            "HEARTBEAT",
                            "OUTPUT"));
            for (CrawlStatus.Worker w : s.workers()) {
                WorkerReport r = w.report();
                sb.append(
                        String.format(
                                Locale.ROOT,
                                "  %-28s %-12s %6d %8s %8s %6s %6s %10s  %s\n",
                                w.name(),
                                w.state(),
                                w.leases(),
                                r == null ? "-" : String.valueOf(r.pages()),
                                r == null ? "-" : String.valueOf(r.items()),
                                r == null ? "-" : String.valueOf(r.errors()),
                                r == null ? "-" : String.valueOf(r.failed()),
                                w.heartbeatAgo() == null ? "-" : seconds(w.heartbeatAgo()) + " ago",
                                output(w)));
            }
        }
        return sb.toString();
    }

    private static String output(CrawlStatus.Worker w) {
        WorkerReport r = w.report();
        if (r == null) {
            return "-";
        }
        if (w.unwrittenBatches() > 0) {
            return r.output()
                    + " ("
                    + w.unwrittenBatches()
                    + " batches not written: arachne export --worker "
                    + w.name()
                    + " writes them)";
        }
        return r.output();
    }

    /** The status as JSON: every figure, durations in milliseconds, instants as ISO-8601. */
    static Map<String, Object> json(CrawlStatus s, String where) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("crawl", s.crawl());
        json.put("redis", where);
        json.put("state", s.state().name().toLowerCase(Locale.ROOT));
        json.put("at", s.at().toString());
        json.put("stopped_at", s.stoppedAt() == null ? null : s.stoppedAt().toString());
        json.put("queued", s.queued());
        json.put("retries_waiting", s.retriesWaiting());
        json.put("in_flight", s.inFlight());
        json.put("in_flight_past_deadline", s.inFlightExpired());
        json.put("done", s.done());
        json.put("retried", s.retried());
        json.put("failed", s.failed());
        json.put("leases_expired", s.leasesExpired());
        json.put("seen", s.seen());
        json.put("item_batches", s.itemBatches());
        json.put("item_batches_exported", s.itemBatchesExported());
        List<Map<String, Object>> hosts = new ArrayList<>();
        for (CrawlStatus.Host h : s.hosts()) {
            Map<String, Object> host = new LinkedHashMap<>();
            host.put("slot", h.slot());
            host.put("queued", h.queued());
            host.put("in_flight", h.inFlight());
            host.put("done", h.done());
            host.put("failed", h.failed());
            host.put("concurrency", h.concurrency());
            host.put("next_start_in_ms", h.nextStartIn().toMillis());
            host.put("paused_for_ms", h.pausedFor().toMillis());
            host.put("error_streak", h.errorStreak());
            host.put("delay_ms", h.delay().toMillis());
            hosts.add(host);
        }
        json.put("hosts", hosts);
        List<Map<String, Object>> workers = new ArrayList<>();
        for (CrawlStatus.Worker w : s.workers()) {
            Map<String, Object> worker = new LinkedHashMap<>();
            worker.put("name", w.name());
            worker.put("state", w.state());
            worker.put("leases", w.leases());
            WorkerReport r = w.report();
            worker.put("host", r == null ? null : r.host());
            worker.put("pid", r == null ? null : r.pid());
            worker.put("output", r == null ? null : r.output());
            worker.put("pages", r == null ? null : r.pages());
            worker.put("items", r == null ? null : r.items());
            worker.put("errors", r == null ? null : r.errors());
            worker.put("failed", r == null ? null : r.failed());
            worker.put("heartbeat_ms_ago", millis(w.heartbeatAgo()));
            worker.put("unwritten_batches", w.unwrittenBatches());
            workers.add(worker);
        }
        json.put("workers", workers);
        return json;
    }

    private static @Nullable Long millis(@Nullable Duration d) {
        return d == null ? null : d.toMillis();
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }

    private static void line(StringBuilder sb, String name, String value) {
        sb.append(String.format(Locale.ROOT, "  %-17s %s\n", name, value));
    }
}
