package org.arachne.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.arachne.engine.Crawler;
import org.arachne.engine.Settings;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.arachne.select.Page;
import org.arachne.spider.Spider;
import org.arachne.spider.yaml.DeclarativeSpider;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code arachne parse URL --xpath EXPR | --css EXPR}: fetches a page as {@code fetch} does and
 * prints each match of the selector on its own line, to try a selector before writing a spider.
 * {@code arachne parse URL --spider FILE | --class NAME}: runs the spider's callback on the page
 * and prints the items and requests it produces, level by level down to {@code --depth} (Scrapy's
 * {@code parse}; see {@link ParseCrawl} and {@link ParseReport}).
 */
@Command(
        name = "parse",
        mixinStandardHelpOptions = true,
        description = {
            "Fetch a page and print each match of an XPath or CSS selector on its own line,",
            "or the items and requests a spider's callback produces from it, level by level."
        })
final class ParseCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec CommandSpec spec;

    @Mixin CommonOptions common;

    @Mixin SpiderArgumentOptions arguments;

    @Parameters(paramLabel = "URL", description = "The page to fetch.")
    String url;

    @ArgGroup(multiplicity = "1")
    Mode mode;

    static final class Mode {
        @Option(
                names = "--xpath",
                paramLabel = "EXPR",
                description = "An XPath 1.0 expression, e.g. '//h1/text()' or '//a/@href'.")
        @Nullable String xpath;

        @Option(
                names = "--css",
                paramLabel = "EXPR",
                description = "A CSS selector, with ::text and ::attr(name), e.g. 'a::attr(href)'.")
        @Nullable String css;

        @Option(
                names = "--spider",
                paramLabel = "FILE",
                description = "A YAML spider file whose callback parses the page.")
        @Nullable Path spider;

        @Option(
                names = "--class",
                paramLabel = "CLASS",
                description = "A Java spider class (as crawl --class) whose callback parses it.")
        @Nullable String className;

        boolean selector() {
            return xpath != null || css != null;
        }
    }

    @Option(
            names = {"-cp", "--classpath"},
            paramLabel = "PATH",
            description = "Jars or folders to load --class from, separated by the path separator.")
    String classPath = "";

    @Option(
            names = "--callback",
            paramLabel = "NAME",
            description =
                    "The callback (a YAML item block's name) to run on the page (default: the"
                            + " one a crawl of the spider would use for its URL, else parse).")
    @Nullable String callback;

    @Option(
            names = "--depth",
            paramLabel = "N",
            description =
                    "Follow the requests the callback produces to their callbacks, down to level"
                            + " N (1, the default: the page alone).")
    int depth = 1;

    @Option(
            names = "--meta",
            paramLabel = "JSON",
            description =
                    "A JSON object put in the page's request meta (e.g. the fields a YAML rule"
                            + " would carry: '{\"tags\": [\"a\"]}').")
    @Nullable String meta;

    @Override
    public Integer call() {
        var settings = common.checkedSettings();
        if (mode.selector()) {
            refuseSpiderOptions();
            common.applyLogLevel(Settings.defaults().with(settings), "warn");
            return select(Fetcher.fetch(url, settings));
        }
        if (depth < 1) {
            throw new ParameterException(
                    spec.commandLine(), "--depth must be at least 1, got " + depth);
        }
        CrawlCommand.Source source = new CrawlCommand.Source();
        source.yaml = mode.spider;
        source.className = mode.className;
        Spiders.Loaded loaded = Spiders.load(source, arguments.arguments, classPath);
        Spider spider = loaded.spider();
        String callbackName = callbackName(spider);
        if (spider.callback(callbackName) == null) {
            throw CliException.config(
                    "--callback: the spider '"
                            + spider.name()
                            + "' ("
                            + loaded.source()
                            + ") has no callback '"
                            + callbackName
                            + "'");
        }
        Request start = startRequest(callbackName, metaValues());
        ParseCrawl crawl = new ParseCrawl(spider, start, depth);
        Crawler crawler = CrawlSession.build(crawl, settings, List.of());
        common.applyLogLevel(crawler.settings(), "warn");
        ParseCrawl.Outcome outcome = crawl.run(crawler);
        if (outcome.levels().isEmpty()) {
            throw new CliException(
                    ExitCodes.ABORTED,
                    "no response from " + url + ": " + Fetcher.why(start.url(), outcome.crawl()));
        }
        ParseReport report = new ParseReport(outcome, depth);
        report.print(spec.commandLine().getOut(), spec.commandLine().getErr());
        return report.failed() ? ExitCodes.FAILED : ExitCodes.OK;
    }

    /** A usage error for the first option given that only a spider's parse takes. */
    private void refuseSpiderOptions() {
        String given = null;
        if (callback != null) {
            given = "--callback";
        } else if (depth != 1) {
            given = "--depth";
        } else if (meta != null) {
            given = "--meta";
        } else if (!arguments.arguments.isEmpty()) {
            given = "-a";
        } else if (!classPath.isEmpty()) {
            given = "-cp";
        }
        if (given != null) {
            throw new ParameterException(
                    spec.commandLine(), given + " needs --spider or --class, not a selector");
        }
    }

    private int select(Response response) {
        Page page = Page.parse(response.text(), response.url(), response.charset());
        List<String> matches;
        try {
            matches =
                    mode.xpath != null
                            ? page.xpath(mode.xpath).getAll()
                            : page.css(String.valueOf(mode.css)).getAll();
        } catch (IllegalArgumentException e) {
            throw CliException.config(
                    (mode.xpath != null ? "--xpath" : "--css") + ": " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        for (String match : matches) {
            out.println(match);
        }
        out.flush();
        PrintWriter err = spec.commandLine().getErr();
        err.println(matches.size() + (matches.size() == 1 ? " match" : " matches"));
        err.flush();
        return ExitCodes.OK;
    }

    /** {@code --callback}, else the one a crawl would route the URL to, else {@code parse}. */
    private String callbackName(Spider spider) {
        if (callback != null) {
            return callback;
        }
        return spider instanceof DeclarativeSpider declarative
                ? declarative.callbackFor(url)
                : "parse";
    }

    /**
     * The page's request: never filtered, and, as for {@code fetch}, any status goes to the
     * callback (unless {@code --meta} says otherwise), so that it shows what the server answered.
     */
    private Request startRequest(String callbackName, Map<String, Object> metaValues) {
        Map<String, Object> requestMeta = new LinkedHashMap<>();
        requestMeta.put("handle_httpstatus_all", true);
        requestMeta.putAll(metaValues);
        try {
            return Request.get(url, callbackName).withDontFilter(true).withMeta(requestMeta);
        } catch (IllegalArgumentException e) {
            throw CliException.config("bad URL '" + url + "': " + e.getMessage());
        }
    }

    /**
     * The values of {@code --meta}, none without it.
     *
     * @throws CliException (config) when it is no JSON object
     */
    private Map<String, Object> metaValues() {
        if (meta == null) {
            return Map.of();
        }
        JsonNode node;
        try {
            node = JSON.readTree(meta);
        } catch (JsonProcessingException e) {
            throw CliException.config(
                    "--meta: not JSON: "
                            + e.getOriginalMessage()
                            + (e.getLocation() == null
                                    ? ""
                                    : " at column " + e.getLocation().getColumnNr()));
        }
        if (node == null || !node.isObject()) {
            throw CliException.config(
                    "--meta: a JSON object is needed ({\"key\": value, ...}), got "
                            + (node == null
                                    ? "nothing"
                                    : node.getNodeType().name().toLowerCase(Locale.ROOT)));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> values = JSON.convertValue(node, Map.class);
        return values;
    }
}
