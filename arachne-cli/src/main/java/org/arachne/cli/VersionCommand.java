package org.arachne.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code arachne version}: prints the Arachne and Java versions. */
@Command(
        name = "version",
        mixinStandardHelpOptions = true,
        description = "Print the Arachne and Java versions.")
final class VersionCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        for (String line : new ArachneCommand.Version().getVersion()) {
            spec.commandLine().getOut().println(line);
        }
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
