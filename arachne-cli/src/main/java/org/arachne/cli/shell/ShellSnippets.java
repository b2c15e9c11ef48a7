package org.arachne.cli.shell;

import java.util.List;

/**
 * The snippets every shell starts with: imports of Arachne's main packages and of the JDK's usual
 * ones (those of JShell's own default start-up), the {@code response} and {@code spider} variables,
 * and the helpers on them.
 */
final class ShellSnippets {
    private ShellSnippets() {}

    /** What the banner lists. */
    static final List<String> HELP =
            List.of(
                    "response              the page loaded (a Response: status(), url(), text(),"
                            + " headers(), json())",
                    "fetch(url)            load another page (or a local file) into response",
                    "xpath(expr), css(q)   select on response: .get(), .getAll(), .re(regex)",
                    "view(response)        write the page to a file and open it in a browser",
                    "spider                the spider of --spider/--class, or null",
                    "/exit                 leave (Ctrl-D); /help for JShell's commands");

    /** Imports of Arachne's packages, after JShell's default ones. */
    static final List<String> IMPORTS =
            List.of(
                    "import java.io.*;",
                    "import java.math.*;",
                    "import java.net.*;",
                    "import java.nio.file.*;",
                    "import java.util.*;",
                    "import java.util.function.*;",
                    "import java.util.regex.*;",
                    "import java.util.stream.*;",
                    "import org.arachne.http.*;",
                    "import org.arachne.select.*;",
                    "import org.arachne.item.*;",
                    "import org.arachne.spider.*;",
                    "import org.arachne.engine.*;",
                    "import org.arachne.cli.shell.ShellContext;");

    /** The variables and helpers. */
    static final List<String> DEFINITIONS =
            List.of(
                    "Response response = ShellContext.response();",
                    "Spider spider = ShellContext.spider();",
                    "Response fetch(String url) { response = ShellContext.fetch(url);"
                            + " return response; }",
                    "Selection xpath(String expression) {"
                            + " return ShellContext.require(response).xpath(expression); }",
                    "Selection css(String query) {"
                            + " return ShellContext.require(response).css(query); }",
                    "Path view(Response page) { return ShellContext.view(page); }");

    static List<String> all() {
        return java.util.stream.Stream.concat(IMPORTS.stream(), DEFINITIONS.stream()).toList();
    }
}
