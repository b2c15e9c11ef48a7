package org.arachne.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.arachne.engine.CallbackTrial;
import org.arachne.engine.Settings;
import org.arachne.http.Response;
import org.arachne.spider.Spider;
import org.arachne.spider.contract.SpiderContract;

/**
 * Checks a spider's contracts for {@code arachne check --contracts}: fetches each contract's URL as
 * a crawl of the spider would (its settings, then {@code -s}), runs the contract's callback on the
 * response through {@link CallbackTrial}, and prints one line per contract, {@code PASS} or {@code
 * FAIL}, with each difference under a failed one ({@code book: expected at least 1 item, got 0}). A
 * URL that gives no response fails its contract, saying why; the other contracts still run.
 */
final class ContractChecks {
    private final Spider spider;
    private final String source;
    private final CommonOptions common;

    ContractChecks(Spider spider, String source, CommonOptions common) {
        this.spider = spider;
        this.source = source;
        this.common = common;
    }

    /**
     * Checks every contract and prints the report on {@code out}.
     *
     * @return {@link ExitCodes#OK} when all pass (or there is none), {@link
     *     ExitCodes#CONTRACT_FAILED} when any fails
     * @throws CliException (config) for a bad {@code -s} setting or log level
     */
    int run(List<SpiderContract> contracts, PrintWriter out) {
        if (contracts.isEmpty()) {
            out.println(
                    source
                            + ": no contracts to check; add a contracts: block to a YAML spider, or"
                            + " @Contract to a Java spider's callbacks (examples/README.md,"
                            + " Contracts)");
            out.flush();
            return ExitCodes.OK;
        }
        Map<String, String> settings = common.checkedSettings();
        common.applyLogLevel(Settings.defaults().with(spider.settings()).with(settings), "warn");
        int failed = 0;
        for (SpiderContract contract : contracts) {
            if (!check(contract, settings, out)) {
                failed++;
            }
            out.flush();
        }
        out.println(
                String.format(
                        Locale.ROOT,
                        "%s: %d %s, %d passed, %d failed",
                        source,
                        contracts.size(),
                        contracts.size() == 1 ? "contract" : "contracts",
                        contracts.size() - failed,
                        failed));
        out.flush();
        return failed == 0 ? ExitCodes.OK : ExitCodes.CONTRACT_FAILED;
    }

    /** Checks one contract and prints its lines; whether it passed. */
    private boolean check(SpiderContract contract, Map<String, String> settings, PrintWriter out) {
        Response response;
        try {
            response = Fetcher.fetch(contract.request(), spider, settings);
        } catch (CliException e) {
            if (e.exitCode() != ExitCodes.ABORTED) {
                throw e;
            }
            out.println("FAIL " + contract.name() + " " + contract.url());
            out.println("  " + contract.name() + ": " + e.getMessage());
            return false;
        }
        CallbackTrial.Result result = CallbackTrial.run(spider, response, contract.callback());
        List<String> differences = new ArrayList<>(contract.differences(result));
        String what =
                String.format(
                        Locale.ROOT,
                        "(%d %s, %d %s, status %d)",
                        result.items().size(),
                        result.items().size() == 1 ? "item" : "items",
                        result.requests().size(),
                        result.requests().size() == 1 ? "request" : "requests",
                        response.status());
        out.println(
                (differences.isEmpty() ? "PASS " : "FAIL ")
                        + contract.name()
                        + " "
                        + contract.url()
                        + " "
                        + what);
        for (String difference : differences) {
            out.println("  " + contract.name() + ": " + difference);
        }
        return differences.isEmpty();
    }
}
