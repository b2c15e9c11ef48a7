package org.arachne.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.arachne.engine.Settings;
import org.arachne.http.Response;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code arachne fetch URL}: downloads one URL with the default downloader and settings and prints
 * its body (decoded text) on stdout and its status on stderr; {@code --headers} prints the status
 * line and headers on stdout before the body, like {@code curl -i}.
 */
@Command(
        name = "fetch",
        mixinStandardHelpOptions = true,
        description = "Download one URL as a crawl would and print its body.")
final class FetchCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin CommonOptions common;

    @Parameters(paramLabel = "URL", description = "The URL to download.")
    String url;

    @Option(
            names = "--headers",
            description = "Print the protocol, status and headers before the body.")
    boolean headers;

    @Override
    public Integer call() {
        var settings = common.checkedSettings();
        common.applyLogLevel(Settings.defaults().with(settings), "warn");
        Response response = Fetcher.fetch(url, settings);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        err.println(
                String.format(
                        Locale.ROOT,
                        "%d %s (%d bytes, %d ms)",
                        response.status(),
                        response.url(),
                        response.body().length(),
                        response.latency().toMillis()));
        err.flush();
        if (headers) {
            out.println(response.protocol() + " " + response.status());
            for (int i = 0; i < response.headers().size(); i++) {
                out.println(response.headers().name(i) + ": " + response.headers().value(i));
            }
            out.println();
        }
        out.print(response.text());
        out.flush();
        return ExitCodes.OK;
    }
}
