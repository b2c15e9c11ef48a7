package org.arachne.cli.shell;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import jdk.jshell.EvalException;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.VarSnippet;
import jdk.jshell.tool.JavaShellToolBuilder;
import org.arachne.http.Response;
import org.arachne.spider.Spider;
import org.jspecify.annotations.Nullable;

/**
 * Runs {@code arachne shell}: JShell with local execution (snippets run in this JVM, so they see
 * Arachne's classes and the loaded page), either as JShell's own interactive tool (completion,
 * history, {@code /help}) or, without a terminal, as a script read from a reader: each snippet
 * (split where it is complete, so one may span lines) is evaluated and its value printed on {@code
 * out}, or its error on {@code err}: a compile error with its message, an exception with its class
 * and message.
 */
@SuppressForbidden(
        reason =
                "the shell is JShell: jdk.jshell is the JDK's supported API for it (DESIGN.md),"
                        + " checked for at start by ShellCommand")
public final class Shell {
    private final String classPath;

    /**
     * @param loader loads a URL or local file with the shell's settings, for {@code fetch(..)}
     * @param first the page loaded at start, or null
     * @param spider the spider given to the shell, or null
     * @param classPath the class path snippets compile against (this JVM's)
     */
    public Shell(
            Function<String, Response> loader,
            @Nullable Response first,
            @Nullable Spider spider,
            String classPath) {
        ShellContext.open(loader, first, spider);
        this.classPath = classPath;
    }

    /** The banner of the interactive shell: what it has, one item a line. */
    public static List<String> banner() {
        return ShellSnippets.HELP;
    }

    /**
     * Runs JShell's interactive tool on the terminal until the user leaves it.
     *
     * @return its exit code
     */
    public int interactive() throws Exception {
        Path startup = Files.createTempFile("arachne-shell-", ".jsh");
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        try {
            Files.write(startup, ShellSnippets.all(), StandardCharsets.UTF_8);
            return JavaShellToolBuilder.builder()
                    .start(
                            "--execution",
                            "local",
                            "--class-path",
                            classPath,
                            "--startup",
                            startup.toString());
        } finally {
            Thread.currentThread().setContextClassLoader(context);
            Files.deleteIfExists(startup);
        }
    }

    /**
     * Evaluates the snippets of {@code in} to its end; at the end, an unfinished snippet is
     * evaluated as it is (its error says what it lacks).
     *
     * @return whether every snippet compiled and ran without an exception
     * @throws IOException when {@code in} cannot be read
     */
    public boolean script(BufferedReader in, PrintWriter out, PrintWriter err) throws IOException {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        try (JShell shell = JShell.builder().executionEngine("local").build()) {
            shell.addToClasspath(classPath);
            PrintWriter silent = new PrintWriter(Writer.nullWriter());
            for (String snippet : ShellSnippets.all()) {
                if (!eval(shell, snippet, silent, err)) {
                    throw new IllegalStateException(
                            "the shell's start-up snippet failed: " + snippet);
                }
            }
            SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
            boolean ok = true;
            String pending = "";
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                pending = pending + line + "\n";
                while (true) {
                    SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(pending);
                    SourceCodeAnalysis.Completeness completeness = info.completeness();
                    if (completeness == SourceCodeAnalysis.Completeness.EMPTY) {
                        pending = "";
                        break;
                    }
                    if (!completeness.isComplete()
                            && completeness != SourceCodeAnalysis.Completeness.UNKNOWN) {
                        break; // the snippet goes on on the next line
                    }
                    ok &= eval(shell, info.source() == null ? pending : info.source(), out, err);
                    pending = info.remaining();
                }
            }
            if (!pending.isBlank()) {
                ok &= eval(shell, pending, out, err);
            }
            out.flush();
            err.flush();
            return ok;
        } finally {
            Thread.currentThread().setContextClassLoader(context);
        }
    }

    /** Evaluates one snippet and prints its value or its errors; whether it had none. */
    private static boolean eval(JShell shell, String source, PrintWriter out, PrintWriter err) {
        boolean ok = true;
        for (SnippetEvent event : shell.eval(source)) {
            if (event.causeSnippet() != null) {
                continue; // a consequence of the snippet on others (a redefinition), not its own
            }
            Snippet snippet = event.snippet();
            if (event.exception() != null) {
                ok = false;
                err.println("exception " + describe(event.exception()));
            } else if (event.status() == Snippet.Status.REJECTED) {
                ok = false;
                shell.diagnostics(snippet)
                        .forEach(d -> err.println("error: " + d.getMessage(Locale.ROOT)));
            } else if (event.value() != null) {
                print(snippet, event.value(), out);
            }
        }
        out.flush();
        err.flush();
        return ok;
    }

    /** An expression's value alone, a declared variable's as {@code name ==> value}. */
    private static void print(Snippet snippet, String value, PrintWriter out) {
        if (snippet instanceof VarSnippet var
                && snippet.subKind() == Snippet.SubKind.VAR_DECLARATION_WITH_INITIALIZER_SUBKIND) {
            out.println(var.name() + " ==> " + value);
        } else if (snippet instanceof VarSnippet || snippet instanceof ExpressionSnippet) {
            out.println(value);
        }
    }

    /** An exception of a snippet: its class and message. */
    private static String describe(JShellException e) {
        if (e instanceof EvalException thrown) {
            return thrown.getExceptionClassName()
                    + (thrown.getMessage() == null ? "" : ": " + thrown.getMessage());
        }
        return e.toString();
    }
}
