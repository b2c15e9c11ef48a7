package org.arachne.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.arachne.engine.Settings;
import org.arachne.http.Response;
import org.arachne.select.Page;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code arachne parse URL --xpath EXPR | --css EXPR}: fetches a page as {@code fetch} does and
 * prints each match of the selector on its own line, to try a selector before writing a spider.
 */
@Command(
        name = "parse",
        mixinStandardHelpOptions = true,
        description =
                "Fetch a page and print each match of an XPath or CSS selector on its own line.")
final class ParseCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin CommonOptions common;

    @Parameters(paramLabel = "URL", description = "The page to fetch.")
    String url;

    @ArgGroup(multiplicity = "1")
    Selector selector;

    static final class Selector {
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
    }

    @Override
    public Integer call() {
        var settings = common.checkedSettings();
        common.applyLogLevel(Settings.defaults().with(settings), "warn");
        Response response = Fetcher.fetch(url, settings);
        Page page = Page.parse(response.text(), response.url(), response.charset());
        List<String> matches;
        try {
            matches =
                    selector.xpath != null
                            ? page.xpath(selector.xpath).getAll()
                            : page.css(String.valueOf(selector.css)).getAll();
        } catch (IllegalArgumentException e) {
            throw CliException.config(
                    (selector.xpath != null ? "--xpath" : "--css") + ": " + e.getMessage());
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
}
