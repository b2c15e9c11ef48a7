package org.arachne.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Entry point of the runnable jar: runs the {@code arachne} command and exits with its code. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        CommandLine cli = commandLine();
        cli.setOut(
                new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true));
        cli.setErr(
                new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
        int code = cli.execute(args);
        cli.getOut().flush();
        cli.getErr().flush();
        System.exit(code);
    }

    /**
     * The command line with Arachne's error handling: a {@link CliException} prints its message and
     * ends with its exit code; any other exception is a bug (exit 1, stack trace). Tests call this
     * and set their own writers.
     */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new ArachneCommand());
        cli.setExecutionExceptionHandler(
                (e, commandLine, parseResult) -> {
                    PrintWriter err = commandLine.getErr();
                    if (e instanceof CliException c) {
                        err.println("arachne: " + c.getMessage());
                        err.flush();
                        return c.exitCode();
                    }
                    err.println("arachne: internal error (please report it): " + e);
                    e.printStackTrace(err);
                    err.flush();
                    return ExitCodes.INTERNAL;
                });
        return cli;
    }
}
