package org.arachne.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.arachne.spider.yaml.Problem;
import org.arachne.spider.yaml.YamlSpiders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code arachne check SPIDER.yaml}: validates a spider file without crawling and prints every
 * problem as {@code FILE:LINE:COLUMN: FIELD: message}; exit 3 when there is any. With {@code -a
 * key=value} it reads the file with those arguments: one it needs and lacks, or one it does not
 * declare, is a problem.
 */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = "Check a YAML spider file and print every problem with its line and field.")
final class CheckCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "SPIDER.yaml", description = "The spider file to check.")
    Path file;

    @Mixin SpiderArgumentOptions arguments;

    @Override
    public Integer call() {
        List<Problem> problems;
        try {
            problems = YamlSpiders.check(file, arguments.arguments);
        } catch (IOException e) {
            throw CliException.config("cannot read " + file + ": " + e);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (problems.isEmpty()) {
            out.println(file + ": ok");
            out.flush();
            return ExitCodes.OK;
        }
        for (Problem p : problems) {
            err.println(p);
        }
        err.println(
                file + ": " + problems.size() + (problems.size() == 1 ? " problem" : " problems"));
        err.flush();
        return ExitCodes.CONFIG;
    }
}
