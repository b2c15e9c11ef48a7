package org.arachne;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java example of the README compiles as written against the core's classes, and its Maven
 * coordinates name this build's version (#12): a README a new user copies from cannot rot. A
 * compile error is reported at its line and column in README.md. {@code ReadmeJavaExampleIT} runs
 * the example's callback on a sandbox page.
 */
class ReadmeJavaExampleTest {

    @Test
    void javaExample_compilesAsWritten(@TempDir Path classes) throws IOException {
        List<ReadmeJava.Block> sources = ReadmeJava.sourceFiles();
        assertThat(sources)
                .as("whole Java source files among README.md's java blocks")
                .isNotEmpty();

        assertThat(ReadmeJava.compile(sources, classes))
                .as("compile errors in README.md's Java example")
                .isEmpty();
    }

    @Test
    void mavenCoordinates_nameThisVersion() throws IOException {
        String version = projectVersion();
        List<ReadmeJava.Block> dependencies =
                ReadmeJava.blocks().stream()
                        .filter(b -> b.language().equals("xml"))
                        .filter(b -> b.text().contains("<artifactId>arachne-core</artifactId>"))
                        .toList();
        assertThat(dependencies).as("a <dependency> on arachne-core in README.md").isNotEmpty();
        for (ReadmeJava.Block b : dependencies) {
            assertThat(b.text())
                    .as("README.md:%d: the dependency's version", b.firstLine())
                    .contains("<groupId>org.arachne</groupId>")
                    .contains("<version>" + version + "</version>");
        }
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
}
