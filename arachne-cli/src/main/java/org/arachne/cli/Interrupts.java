package org.arachne.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.arachne.engine.Crawler;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT), SIGTERM and SIGHUP (the terminal closed) during a crawl: the first stops it
 * gracefully (no new requests, in-flight ones finish, outputs are flushed and closed, the summary
 * is printed), the second aborts it (in-flight requests are interrupted; outputs are still closed).
 * The previous handlers come back when the crawl ends.
 */
@SuppressForbidden(
        reason =
                "sun.misc.Signal (module jdk.unsupported) is the only JDK API that catches SIGINT"
                        + " without ending the JVM, which a second Ctrl-C needs")
final class Interrupts implements AutoCloseable {
    private static final List<String> SIGNALS = List.of("INT", "TERM", "HUP");

    private final AtomicInteger received = new AtomicInteger();
    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();

    private Interrupts() {}

    /** Installs the handlers for this crawl; close the result when the crawl has ended. */
    static Interrupts install(Crawler crawler, PrintWriter err) {
        Interrupts interrupts = new Interrupts();
        SignalHandler handler = signal -> interrupts.onSignal(crawler, err);
        for (String name : SIGNALS) {
            try {
                Signal signal = new Signal(name);
                interrupts.previous.add(Signal.handle(signal, handler));
                interrupts.signals.add(signal);
            } catch (IllegalArgumentException unsupported) {
                // this platform or JVM (-Xrs) does not let us handle it: the default applies
            }
        }
        return interrupts;
    }

    /** Whether a signal asked the crawl to stop. */
    boolean interrupted() {
        return received.get() > 0;
    }

    private void onSignal(Crawler crawler, PrintWriter err) {
        int n = received.incrementAndGet();
        StatusLine.aroundShown(
                () -> {
                    synchronized (err) {
                        err.println(
                                n == 1
                                        ? "arachne: stopping: finishing the requests in flight and"
                                                + " closing the output (Ctrl-C again to abort)"
                                        : "arachne: aborting");
                        err.flush();
                    }
                });
        if (n == 1) {
            crawler.stop();
        } else {
            crawler.abort();
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) {
            Signal.handle(signals.get(i), previous.get(i));
        }
    }
}
