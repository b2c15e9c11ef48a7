package org.arachne.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/**
 * The root {@code arachne} command. It does nothing itself: without a subcommand it is a usage
 * error (exit 2) that lists the subcommands.
 */
@Command(
        name = "arachne",
        mixinStandardHelpOptions = true,
        versionProvider = ArachneCommand.Version.class,
        description = "A polite, concurrent web crawler and scraper for the JVM.",
        subcommands = {
            CrawlCommand.class,
            JobsCommand.class,
            WorkerCommand.class,
            StatusCommand.class,
            ExportCommand.class,
            StopCommand.class,
            CheckCommand.class,
            NewCommand.class,
            ParseCeilingCommand.class,
            DemoCommand.class,
            SandboxCommand.class,
            FetchCommand.class,
            ParseCommand.class,
            ShellCommand.class,
            VersionCommand.class
        },
        footer = {
            "",
            "Exit codes: 0 finished, 2 usage error, 3 config error,",
            "4 aborted or could not start, 5 finished with errors (--fail-on-error),",
            "6 an output could not be written, 7 no page could be fetched,",
            "8 the job dir, worker name or item stream is held by another process,",
            "9 a contract failed (check --contracts), 130 stopped by Ctrl-C."
        })
public final class ArachneCommand {

    /** The version from the jar's build, for {@code --version} and {@code arachne version}. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "arachne " + version(),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
            };
        }

        static String version() {
            try (InputStream in =
                    ArachneCommand.class.getResourceAsStream("/arachne-version.properties")) {
                if (in == null) {
                    return "unknown";
                }
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            } catch (IOException e) {
                return "unknown";
            }
        }
    }
}
