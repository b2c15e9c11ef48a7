package org.arachne;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * The fenced blocks of README.md, and its Java example compiled with {@code javax.tools} against
 * this test's class path (the core's classes), for the tests that keep the README honest (#12).
 *
 * <p>Every fenced {@code java} block that is a whole source file (it declares a package) is
 * compiled; the README's shorter fragments (one method, a builder chain) are excerpts and are not.
 */
final class ReadmeJava {
    static final Path README = Path.of("..", "README.md");

    private static final Pattern FENCE = Pattern.compile("^```(\\w*)\\s*$");
    private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;");
    private static final Pattern PUBLIC_TYPE =
            Pattern.compile(
                    "(?m)^public\\s+(?:final\\s+|abstract\\s+)*(?:class|interface|record|enum)\\s+(\\w+)");

    private ReadmeJava() {}

    /** A fenced block of README.md: its language, its first line's number (1-based), its text. */
    record Block(String language, int firstLine, String text) {}

    static List<Block> blocks() throws IOException {
        List<String> lines = Files.readAllLines(README, StandardCharsets.UTF_8);
        List<Block> blocks = new ArrayList<>();
        String language = null;
        int first = 0;
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            Matcher fence = FENCE.matcher(lines.get(i));
            if (language == null && fence.matches()) {
                language = fence.group(1);
                first = i + 2;
                text.setLength(0);
            } else if (language != null && lines.get(i).strip().equals("```")) {
                blocks.add(new Block(language, first, text.toString()));
                language = null;
            } else if (language != null) {
                text.append(lines.get(i)).append('\n');
            }
        }
        return blocks;
    }

    /** The java blocks that are whole source files. */
    static List<Block> sourceFiles() throws IOException {
        return blocks().stream()
                .filter(b -> b.language().equals("java"))
                .filter(b -> PACKAGE.matcher(b.text()).find())
                .toList();
    }

    /**
     * Compiles {@code sources} into {@code classes}; returns the errors, each as {@code
     * README.md:line:column: message}, none when it compiled.
     */
    static List<String> compile(List<Block> sources, Path classes) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files =
                javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            files.setLocation(StandardLocation.CLASS_OUTPUT, List.of(classes.toFile()));
            List<JavaFileObject> units = sources.stream().map(ReadmeJava::unit).toList();
            boolean compiled =
                    javac.getTask(
                                    null,
                                    files,
                                    diagnostics,
                                    List.of(
                                            "--release",
                                            "21",
                                            "-proc:none",
                                            "-classpath",
                                            System.getProperty("java.class.path")),
                                    null,
                                    units)
                            .call();
            List<String> errors = new ArrayList<>();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() == Diagnostic.Kind.ERROR) {
                    errors.add(readmeLocation(d) + ": " + d.getMessage(Locale.ROOT));
                }
            }
            if (!compiled && errors.isEmpty()) {
                errors.add("README.md: javac failed without an error message");
            }
            return errors;
        }
    }

    /** One block as a source file named after its public type, remembering where it starts. */
    private static JavaFileObject unit(Block block) {
        Matcher type = PUBLIC_TYPE.matcher(block.text());
        String name = type.find() ? type.group(1) : "ReadmeExample";
        Matcher pkg = PACKAGE.matcher(block.text());
        String path = (pkg.find() ? pkg.group(1).replace('.', '/') + "/" : "") + name + ".java";
        return new ReadmeSource(URI.create("readme:/" + path), block);
    }

    private static String readmeLocation(Diagnostic<? extends JavaFileObject> d) {
        if (d.getSource() instanceof ReadmeSource source && d.getLineNumber() > 0) {
            long line = source.block.firstLine() + d.getLineNumber() - 1;
            return "README.md:" + line + ":" + d.getColumnNumber();
        }
        return "README.md";
    }

    private static final class ReadmeSource extends SimpleJavaFileObject {
        final Block block;

        ReadmeSource(URI uri, Block block) {
            super(uri, Kind.SOURCE);
            this.block = block;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return block.text();
        }
    }
}
