package org.arachne;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java example of the README compiles as written against the core's classes, and its Maven
 * coordinates name this build's version (#12): a README a new user copies from cannot rot.
 *
 * <p>Every fenced {@code java} block that is a whole source file (it declares a package) is
 * compiled; the README's shorter fragments (one method, a builder chain) are excerpts and are not.
 * A compile error is reported at its line and column in README.md.
 */
class ReadmeJavaExampleTest {
    private static final Path README = Path.of("..", "README.md");
    private static final Pattern FENCE = Pattern.compile("^```(\\w*)\\s*$");
    private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;");
    private static final Pattern PUBLIC_TYPE =
            Pattern.compile(
                    "(?m)^public\\s+(?:final\\s+|abstract\\s+)*(?:class|interface|record|enum)\\s+(\\w+)");

    /** A fenced block of README.md: its language, its first line's number (1-based), its text. */
    record Block(String language, int firstLine, String text) {}

    @Test
    void javaExample_compilesAsWritten(@TempDir Path classes) throws IOException {
        List<Block> sources =
                blocks().stream()
                        .filter(b -> b.language().equals("java"))
                        .filter(b -> PACKAGE.matcher(b.text()).find())
                        .toList();
        assertThat(sources)
                .as("whole Java source files among README.md's java blocks")
                .isNotEmpty();

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files =
                javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            files.setLocation(StandardLocation.CLASS_OUTPUT, List.of(classes.toFile()));
            List<JavaFileObject> units = sources.stream().map(ReadmeJavaExampleTest::unit).toList();
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
            assertThat(errors).as("compile errors in README.md's Java example").isEmpty();
            assertThat(compiled).isTrue();
        }
    }

    @Test
    void mavenCoordinates_nameThisVersion() throws IOException {
        String version = projectVersion();
        List<Block> dependencies =
                blocks().stream()
                        .filter(b -> b.language().equals("xml"))
                        .filter(b -> b.text().contains("<artifactId>arachne-core</artifactId>"))
                        .toList();
        assertThat(dependencies).as("a <dependency> on arachne-core in README.md").isNotEmpty();
        for (Block b : dependencies) {
            assertThat(b.text())
                    .as("README.md:%d: the dependency's version", b.firstLine())
                    .contains("<groupId>org.arachne</groupId>")
                    .contains("<version>" + version + "</version>");
        }
    }

    private static List<Block> blocks() throws IOException {
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

    /** The parent pom's version: the first {@code <version>} after arachne-parent's artifactId. */
    private static String projectVersion() throws IOException {
        String pom = Files.readString(Path.of("..", "pom.xml"), StandardCharsets.UTF_8);
        Matcher m =
                Pattern.compile(
                                "<artifactId>arachne-parent</artifactId>\\s*<version>([^<]+)</version>")
                        .matcher(pom);
        assertThat(m.find()).as("the parent pom's version").isTrue();
        return m.group(1);
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
