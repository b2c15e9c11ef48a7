package org.arachne.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code arachne new project}: the files it writes and what it refuses. {@code NewProjectIT} builds
 * what it writes with Maven.
 */
class NewProjectCommandTest {

    @Test
    void newProject_writesMavenProjectWithSpiderTestFixtureReadme(@TempDir Path tmp)
            throws IOException {
        Path dir = tmp.resolve("book-shop");

        Run run = Run.of("new", "project", dir.toString(), "--package", "com.acme.shop");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(files(dir))
                .containsExactlyInAnyOrder(
                        ".gitignore",
                        "README.md",
                        "pom.xml",
                        "src/main/java/com/acme/shop/BookShopSpider.java",
                        "src/main/resources/logback.xml",
                        "src/test/java/com/acme/shop/BookShopSpiderTest.java",
                        "src/test/resources/fixtures/listing.html");
        String pom = read(dir.resolve("pom.xml"));
        assertThat(pom)
                .contains("<groupId>com.acme.shop</groupId>")
                .contains("<artifactId>book-shop</artifactId>")
                .contains("<arachne.version>" + ArachneCommand.Version.version() + "<")
                .contains("<maven.compiler.release>21</maven.compiler.release>")
                .doesNotContain("{{")
                .doesNotContain("${project.version}");
        assertThat(pom).containsPattern("<junit.version>\\d+\\.\\d+\\.\\d+</junit.version>");
        assertThat(pom)
                .containsPattern(
                        "maven-surefire-plugin</artifactId>\\s*<version>\\d+\\.\\d+\\.\\d+<");
        String spider = read(dir.resolve("src/main/java/com/acme/shop/BookShopSpider.java"));
        assertThat(spider)
                .contains("package com.acme.shop;")
                .contains("public final class BookShopSpider implements Spider")
                .contains("return \"book-shop\";")
                .contains("List.of(\"" + NewProjectCommand.SANDBOX_URL + "\")")
                .contains("Set.of(\"127.0.0.11\")");
        String test = read(dir.resolve("src/test/java/com/acme/shop/BookShopSpiderTest.java"));
        assertThat(test)
                .contains("CallbackTrial.run(new BookShopSpider()")
                .contains(
                        "\"http://127.0.0.11:8321/catalogue/a-light-in-the-attic_1000/index.html\"")
                .contains("List.of(\"http://127.0.0.11:8321/catalogue/page-2.html\")");
        assertThat(read(dir.resolve("README.md")))
                .contains("arachne crawl --class com.acme.shop.BookShopSpider -cp target/classes")
                .doesNotContain("{{");
        assertThat(run.out()).contains("BookShopSpider.java");
    }

    @Test
    void newProject_startUrlGiven_linksResolveAgainstIt(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("shop");

        Run run =
                Run.of(
                        "new",
                        "project",
                        dir.toString(),
                        "--name",
                        "Books",
                        "--url",
                        "https://shop.example/books/index.html");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        Path test = dir.resolve("src/test/java/org/example/spiders/BooksSpiderTest.java");
        assertThat(read(test))
                .contains("PAGE_URL = \"https://shop.example/books/index.html\"")
                .contains("\"https://shop.example/books/catalogue/page-2.html\"");
        assertThat(read(dir.resolve("src/main/java/org/example/spiders/BooksSpider.java")))
                .contains("Set.of(\"shop.example\")");
        assertThat(read(dir.resolve("pom.xml"))).contains("<artifactId>books</artifactId>");
    }

    @Test
    void newProject_emptyDirectory_isUsed(@TempDir Path tmp) {
        Run run = Run.of("new", "project", tmp.toString(), "--name", "books");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(tmp.resolve("pom.xml")).exists();
    }

    @Test
    void newProject_nonEmptyDirectory_refusedAndUntouched(@TempDir Path tmp) throws IOException {
        Files.writeString(tmp.resolve("notes.txt"), "mine");

        Run run = Run.of("new", "project", tmp.toString(), "--name", "books");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err()).contains(tmp.toString()).contains("is not empty");
        assertThat(files(tmp)).containsExactly("notes.txt");
    }

    @Test
    void newProject_badPackage_refusedNamingOption(@TempDir Path tmp) {
        Path dir = tmp.resolve("books");

        Run run = Run.of("new", "project", dir.toString(), "--package", "org.example.class");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err()).contains("--package 'org.example.class'");
        assertThat(dir).doesNotExist();
    }

    @Test
    void newProject_notHttpUrl_refusedNamingOption(@TempDir Path tmp) {
        Path dir = tmp.resolve("books");

        Run run = Run.of("new", "project", dir.toString(), "--url", "ftp://example.com/");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err()).contains("--url 'ftp://example.com/'");
        assertThat(dir).doesNotExist();
    }

    @Test
    void newProject_nameWithoutLetter_refused(@TempDir Path tmp) {
        Run run = Run.of("new", "project", tmp.resolve("2024").toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err()).contains("'2024'").contains("--name");
    }

    @Test
    void newGroup_withoutSubcommand_isUsageError() {
        Run run = Run.of("new");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("project");
    }

    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile)
                    .map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        }
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
