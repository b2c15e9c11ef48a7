package org.arachne.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.arachne.engine.CallbackTrial;
import org.arachne.http.Request;
import org.arachne.item.Item;
import org.arachne.url.Urls;

/**
 * What {@code arachne parse --spider} prints: on stdout, per level a header, the items as JSON
 * lines and the requests with their callback (and meta, when they carry some); on stderr, per
 * response its status and callback, every callback failure with its exception, the counts the
 * callbacks moved, and a one-line summary.
 *
 * <pre>
 * &gt;&gt;&gt; level 1 &lt;&lt;&lt;
 * # items
 * {"title":"A Light in the Attic","price":"£51.77"}
 * # requests
 * GET http://127.0.0.11:8321/page/2 parse
 * GET http://127.0.0.11:8321/api/books/1 book {"tags":["poetry"]}
 * </pre>
 */
final class ParseReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ParseCrawl.Outcome outcome;
    private final int depth;

    ParseReport(ParseCrawl.Outcome outcome, int depth) {
        this.outcome = outcome;
        this.depth = depth;
    }

    /** Whether a callback failed (or was missing) on one of the responses. */
    boolean failed() {
        return outcome.steps().stream().anyMatch(s -> !s.result().succeeded());
    }

    void print(PrintWriter out, PrintWriter err) {
        List<List<ParseCrawl.Step>> levels = outcome.levels();
        for (int i = 0; i < levels.size(); i++) {
            out.println(">>> level " + (i + 1) + " <<<");
            out.println("# items");
            for (ParseCrawl.Step step : levels.get(i)) {
                for (Item item : step.result().items()) {
                    out.println(json(item.fields()));
                }
            }
            out.println("# requests");
            for (ParseCrawl.Step step : levels.get(i)) {
                for (Request request : step.result().requests()) {
                    out.println(line(request));
                }
            }
        }
        out.flush();
        long items = 0;
        long requests = 0;
        int failures = 0;
        Map<String, Long> counts = new TreeMap<>();
        for (ParseCrawl.Step step : outcome.steps()) {
            CallbackTrial.Result result = step.result();
            err.println(
                    "level "
                            + step.level()
                            + ": "
                            + step.response().status()
                            + " "
                            + Urls.redacted(step.response().url())
                            + " -> "
                            + result.callback()
                            + ": "
                            + plural(result.items().size(), "item")
                            + ", "
                            + plural(result.requests().size(), "request"));
            if (result.failure() != null) {
                failures++;
                err.println("  callback '" + result.callback() + "' failed: " + result.failure());
            }
            items += result.items().size();
            requests += result.requests().size();
            result.counts().forEach((k, v) -> counts.merge(k, v, Long::sum));
        }
        counts.forEach((k, v) -> err.println("  " + k + ": " + v));
        if (outcome.crawl().errors() > 0) {
            err.println("  crawl errors: " + Summary.errorsByKind(outcome.crawl()));
        }
        err.println(
                "parse: "
                        + plural(outcome.levels().size(), "level")
                        + " of "
                        + depth
                        + ", "
                        + plural(outcome.steps().size(), "response")
                        + ", "
                        + plural(items, "item")
                        + ", "
                        + plural(requests, "request")
                        + (failures == 0 ? "" : ", " + plural(failures, "failed callback")));
        err.flush();
    }

    /** A request as a line: method, URL (credentials masked), callback, and its meta if any. */
    static String line(Request request) {
        String line =
                request.method()
                        + " "
                        + Urls.redacted(request.url())
                        + " "
                        + request.callbackName();
        return request.meta().isEmpty() ? line : line + " " + json(request.meta());
    }

    private static String json(Map<String, ?> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            // items and meta hold JSON values only (Item, Request check them)
            throw new IllegalStateException(e);
        }
    }

    private static String plural(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
