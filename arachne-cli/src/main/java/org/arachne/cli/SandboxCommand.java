package org.arachne.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.arachne.sandbox.Sandbox;
import org.arachne.sandbox.SiteManifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * {@code arachne sandbox}: serves the bundled sandbox site (the one {@code demo} crawls: four hosts
 * on 127.0.0.11-14, the same pages) on the fixed port the examples use, 8321, until Ctrl-C, so that
 * {@code arachne crawl examples/books.yaml} has something to crawl (#9). Prints the start URLs on
 * stdout, one per line, and what it serves on stderr.
 */
@Command(
        name = "sandbox",
        mixinStandardHelpOptions = true,
        description =
                "Serve the bundled sandbox site (the demo's) on 127.0.0.11-14 until Ctrl-C, for"
                        + " the example spiders.")
@SuppressForbidden(
        reason =
                "sun.misc.Signal (module jdk.unsupported) is the only JDK API that catches SIGINT"
                        + " without ending the JVM, so the command can stop the site and return")
final class SandboxCommand implements Callable<Integer> {
    /** The port of the example spiders' start URLs ({@code examples/*.yaml}). */
    static final int EXAMPLES_PORT = 8321;

    private static final List<String> SIGNALS = List.of("INT", "TERM", "HUP");

    @Spec CommandSpec spec;

    @Option(
            names = "--port",
            paramLabel = "N",
            description =
                    "The port of every host (default: ${DEFAULT-VALUE}, as in examples/*.yaml;"
                            + " 0 picks a free one).")
    int port = EXAMPLES_PORT;

    @Option(
            names = "--pages",
            paramLabel = "N",
            description = "Pages per host (default: ${DEFAULT-VALUE}, as the demo).")
    int pagesPerHost = DemoCommand.DEFAULT_PAGES_PER_HOST;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65_535) {
            throw CliException.config("--port: 0 to 65535, got " + port);
        }
        if (pagesPerHost < 2) {
            throw CliException.config("--pages: at least 2, got " + pagesPerHost);
        }
        Sandbox.Builder builder =
                Sandbox.builder().hosts(DemoCommand.HOSTS).port(port).pagesPerHost(pagesPerHost);
        CountDownLatch stop = new CountDownLatch(1);
        List<Signal> signals = new ArrayList<>();
        List<SignalHandler> previous = new ArrayList<>();
        for (String name : SIGNALS) {
            try {
                Signal signal = new Signal(name);
                previous.add(Signal.handle(signal, s -> stop.countDown()));
                signals.add(signal);
            } catch (IllegalArgumentException unsupported) {
                // this platform or JVM (-Xrs) does not let us handle it: the default applies
            }
        }
        try (Sandbox sandbox = start(builder.build())) {
            describe(sandbox);
            stop.await();
        } finally {
            for (int i = 0; i < signals.size(); i++) {
                Signal.handle(signals.get(i), previous.get(i));
            }
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println("sandbox: stopped");
        err.flush();
        return ExitCodes.INTERRUPTED;
    }

    private Sandbox start(Sandbox sandbox) {
        try {
            return sandbox.start();
        } catch (IOException e) {
            throw new CliException(
                    ExitCodes.ABORTED,
                    "cannot serve the sandbox on port "
                            + port
                            + " of "
                            + String.join(", ", sandbox.hosts())
                            + ": "
                            + e.getMessage()
                            + (port == 0 ? "" : " (already running? --port N picks another)"),
                    e);
        }
    }

    private void describe(Sandbox sandbox) {
        PrintWriter out = spec.commandLine().getOut();
        sandbox.startUrls().forEach(out::println);
        out.flush();
        SiteManifest manifest = sandbox.manifest();
        PrintWriter err = spec.commandLine().getErr();
        err.printf(
                Locale.ROOT,
                "sandbox: %d hosts x %d pages on port %d (%d crawlable pages, %d items; faults"
                        + " under /fault/)\n",
                sandbox.hosts().size(),
                pagesPerHost,
                sandbox.port(),
                manifest.crawlablePages(),
                manifest.itemsTotal());
        if (sandbox.port() == EXAMPLES_PORT) {
            err.println(
                    "try, in another terminal: ./arachne crawl examples/books.yaml -O books.jsonl");
        }
        err.println("serving until Ctrl-C");
        err.flush();
    }
}
