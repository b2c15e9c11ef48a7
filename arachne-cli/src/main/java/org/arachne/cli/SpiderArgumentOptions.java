package org.arachne.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The {@code -a key=value} arguments of a YAML spider, shared by the commands that read one. */
final class SpiderArgumentOptions {
    @Option(
            names = "-a",
            paramLabel = "KEY=VALUE",
            description =
                    "An argument of the YAML spider, used where the file writes ${KEY}; the file"
                            + " declares it under arguments: (Scrapy's -a); repeatable.")
    Map<String, String> arguments = new LinkedHashMap<>();
}
