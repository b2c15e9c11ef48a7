package org.arachne.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.arachne.http.Request;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code arachne new spider NAME URL}: writes {@code NAME.yaml}, a YAML spider for the site of
 * {@code URL} (Scrapy's {@code genspider}): the URL to start from, its host as the allowed domain,
 * one rule that follows every link inside it, one item block with generic fields (the page's {@code
 * <title>} and URL) and a contract for the start URL, with comments pointing to {@code
 * examples/README.md}. {@code arachne check} finds no problem in it, and its contract holds on any
 * HTML page with a title, until the user changes the selectors. An existing file is kept (exit 3)
 * unless {@code --force}.
 */
@Command(
        name = "spider",
        mixinStandardHelpOptions = true,
        description = {
            "Write NAME.yaml, a YAML spider skeleton for the site of URL.",
            "It has the start URL, its host as allowed domain, one rule, one item block and a",
            "contract, and passes arachne check as written."
        })
final class NewSpiderCommand implements Callable<Integer> {
    /** A spider name: it names the file, logs, stats and the output. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The spider's name (books).")
    String name;

    @Parameters(
            index = "1",
            paramLabel = "URL",
            description = "The page to start from (http://books.example.com/).")
    String url;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            description =
                    "Where to write the spider (default: NAME.yaml in the working directory).")
    @Nullable Path output;

    @Option(names = "--force", description = "Overwrite the file when it exists.")
    boolean force;

    @Override
    public Integer call() {
        if (!NAME.matcher(name).matches()) {
            throw CliException.config(
                    "NAME: '"
                            + name
                            + "' cannot name a spider; use letters, digits, '-', '_' and '.',"
                            + " such as books");
        }
        Request start;
        try {
            start = Request.get(url);
        } catch (IllegalArgumentException e) {
            throw CliException.config("URL: " + e.getMessage());
        }
        Path file = output != null ? output : Path.of(name + ".yaml");
        String yaml = skeleton(name, start.url(), start.host(), file.toString());
        try {
            if (force) {
                Files.writeString(file, yaml, StandardCharsets.UTF_8);
            } else {
                Files.writeString(
                        file, yaml, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
            }
        } catch (FileAlreadyExistsException e) {
            throw CliException.config(file + " exists; give --force to overwrite it");
        } catch (IOException e) {
            throw CliException.config("cannot write " + file + ": " + e);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("wrote " + file + "; next: arachne check --contracts " + file);
        out.flush();
        return ExitCodes.OK;
    }

    /** The text of the spider file, which names itself {@code file} in its comments. */
    static String skeleton(String name, String url, String host, String file) {
        String quotedUrl = "'" + url.replace("'", "''").replace("${", "$${") + "'";
        return """
                # A spider for {{host}}, written by `arachne new spider`. Change the selectors to what
                # you want from the site (try them with arachne parse URL --xpath '...'), then:
                #   arachne check {{file}}               every problem, with its line
                #   arachne check --contracts {{file}}   the contract below, against the site
                #   arachne crawl {{file}}
                # Every key is described in examples/README.md ("The file format").
                name: {{name}}
                start_urls: [{{url}}]
                allowed_domains: ['{{host}}']  # links to other hosts are not followed
                settings:
                  download_delay: 1s             # one request a second: be polite to the site
                rules:
                  - follow: true                 # every link inside allowed_domains; narrow it with
                                                 # allow: [regex] and deny: [regex]
                items:
                  - name: page                   # one item per page; each: SELECTOR for one per element
                    fields:
                      title: //title/text()      # XPath by default; {css: 'h1::text'} for CSS
                      url: {value: url}
                contracts:                       # what the start page must give (examples/README.md)
                  - url: {{url}}
                    items: 1
                    scrapes: [title, url]
                output: {{name}}.jsonl  # appended to; {path: ..., overwrite: true} replaces it
                """
                .replace("{{host}}", host.replace("'", "''"))
                .replace("{{file}}", file)
                .replace("{{url}}", quotedUrl)
                .replace("{{name}}", name);
    }
}
