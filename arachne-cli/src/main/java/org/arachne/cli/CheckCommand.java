package org.arachne.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.arachne.spider.Spider;
import org.arachne.spider.contract.Contracts;
import org.arachne.spider.contract.SpiderContract;
import org.arachne.spider.yaml.Problem;
import org.arachne.spider.yaml.SpiderFileException;
import org.arachne.spider.yaml.YamlSpiders;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code arachne check SPIDER.yaml}: validates a spider file without crawling and prints every
 * problem as {@code FILE:LINE:COLUMN: FIELD: message}; exit 3 when there is any. Warnings ({@code
 * FILE:LINE:COLUMN: warning: FIELD: message}, such as a selector that looks like another language
 * than the one it is read in) are printed too, and do not change the exit code. With {@code -a
 * key=value} it reads the file with those arguments: one it needs and lacks, or one it does not
 * declare, is a problem. {@code --class NAME} (with {@code -cp}) checks that a Java spider loads
 * and that its {@code @Contract} annotations are valid. With {@code --contracts} it then checks the
 * spider's contracts against the live pages ({@link ContractChecks}): exit 9 when one fails.
 */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = {
            "Check a YAML spider file and print every problem with its line and field;",
            "with --contracts, also fetch each contract's URL and check what its callback gives."
        })
final class CheckCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @ArgGroup(multiplicity = "1")
    CrawlCommand.Source source;

    @Option(
            names = {"-cp", "--classpath"},
            paramLabel = "PATH",
            description = "Jars or folders to load --class from, separated by the path separator.")
    String classPath = "";

    @Mixin SpiderArgumentOptions arguments;

    @Option(
            names = "--contracts",
            description =
                    "Also check the spider's contracts: fetch each one's URL with the spider's"
                            + " settings (and -s), run its callback and compare (exit 9 when one"
                            + " fails).")
    boolean contracts;

    @Mixin CommonOptions common;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (source.yaml != null) {
            int problems = checkYaml(out, spec.commandLine().getErr());
            if (problems > 0 || !contracts) {
                return problems > 0 ? ExitCodes.CONFIG : ExitCodes.OK;
            }
            Spider spider = Spiders.yaml(source.yaml, arguments.arguments);
            return new ContractChecks(spider, source.yaml.toString(), common)
                    .run(yamlContracts(), out);
        }
        Spiders.Loaded loaded = Spiders.load(source, arguments.arguments, classPath);
        List<SpiderContract> found;
        try {
            found = Contracts.of(loaded.spider().getClass());
        } catch (IllegalArgumentException e) {
            throw CliException.config(loaded.source() + ": " + e.getMessage());
        }
        out.println(loaded.source() + ": ok");
        out.flush();
        if (!contracts) {
            return ExitCodes.OK;
        }
        return new ContractChecks(loaded.spider(), loaded.source(), common).run(found, out);
    }

    /**
     * Prints the warnings and problems of the YAML file, or that it is ok; the number of problems.
     */
    private int checkYaml(PrintWriter out, PrintWriter err) {
        String name = source.yaml.toString();
        List<Problem> problems;
        List<Problem> warnings;
        try {
            problems = YamlSpiders.check(source.yaml, arguments.arguments);
            warnings = YamlSpiders.warnings(source.yaml, arguments.arguments);
        } catch (IOException e) {
            throw CliException.config("cannot read " + source.yaml + ": " + e);
        }
        for (Problem w : warnings) {
            err.println(
                    w.file()
                            + ":"
                            + w.line()
                            + ":"
                            + w.column()
                            + ": warning: "
                            + w.field()
                            + ": "
                            + w.message());
        }
        for (Problem p : problems) {
            err.println(p);
        }
        if (!problems.isEmpty()) {
            err.println(
                    name
                            + ": "
                            + problems.size()
                            + (problems.size() == 1 ? " problem" : " problems"));
        }
        err.flush();
        if (problems.isEmpty()) {
            out.println(
                    name
                            + ": ok"
                            + switch (warnings.size()) {
                                case 0 -> "";
                                case 1 -> " (1 warning)";
                                default -> " (" + warnings.size() + " warnings)";
                            });
            out.flush();
        }
        return problems.size();
    }

    private List<SpiderContract> yamlContracts() {
        try {
            return YamlSpiders.contracts(source.yaml, arguments.arguments);
        } catch (SpiderFileException e) {
            throw CliException.config("bad spider file:\n" + e.getMessage());
        } catch (IOException e) {
            throw CliException.config("cannot read " + source.yaml + ": " + e);
        }
    }
}
