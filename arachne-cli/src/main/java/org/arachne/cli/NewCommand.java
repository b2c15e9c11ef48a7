package org.arachne.cli;

import picocli.CommandLine.Command;

/**
 * {@code arachne new}: the commands that write a starting point, as Scrapy's {@code genspider} and
 * {@code startproject} do: {@code new spider NAME URL} a YAML spider ({@link NewSpiderCommand}),
 * {@code new project DIR} a Maven project with a Java spider ({@link NewProjectCommand}). It does
 * nothing itself: without a subcommand it is a usage error (exit 2).
 */
@Command(
        name = "new",
        mixinStandardHelpOptions = true,
        description = "Write a new spider (or project) to start from.",
        subcommands = {NewSpiderCommand.class, NewProjectCommand.class})
final class NewCommand {}
