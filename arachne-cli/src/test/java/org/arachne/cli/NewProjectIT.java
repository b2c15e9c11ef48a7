package org.arachne.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The project {@code arachne new project} writes builds, and its test passes, offline against the
 * installed artifact (#12): this build's parent pom and arachne-core jar are installed (in the
 * layout {@code ./arachne install} writes) into a temporary local repository, never the shared
 * {@code ~/.m2}, and the project is built there with {@code mvn verify} and a settings file whose
 * only mirror is this build's local repository, read as a remote one: plugins and JUnit come from
 * the cache, nothing from the network. Then the saved page changes and the project's test must
 * fail, so the check it makes is a real one.
 *
 * <p>It runs after arachne-core is packaged (this module depends on it) and needs {@code mvn} on
 * the {@code PATH}; it fails, naming what is missing, rather than skip.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class NewProjectIT {
    private static final Duration MAVEN_LIMIT = Duration.ofMinutes(4);
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @Test
    void generatedProject_buildsAndPassesOfflineAgainstInstalledCore_failsWhenPageChanges(
            @TempDir Path tmp) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Path project = tmp.resolve("books");
        Run generated =
                Run.of("new", "project", project.toString(), "--package", "org.example.books");
        assertThat(generated.exitCode()).as(generated.toString()).isZero();

        Path repository = tmp.resolve("repository");
        Path settings = offlineSettings(tmp);
        installCore(repository);
        long installed = System.nanoTime();

        Maven passing = maven(project, settings, repository, "verify");
        assertThat(passing.exitCode()).as(passing.toString()).isZero();
        Path report =
                project.resolve(
                        "target/surefire-reports/TEST-org.example.books.BooksSpiderTest.xml");
        assertThat(counts(report)).as("tests, failures, errors").containsExactly(1, 0, 0);
        assertThat(project.resolve("target/books-0.1.0-SNAPSHOT.jar")).exists();
        long built = System.nanoTime();

        Path fixture = project.resolve("src/test/resources/fixtures/listing.html");
        String page = Files.readString(fixture, StandardCharsets.UTF_8);
        assertThat(page).contains("£51.77");
        Files.writeString(fixture, page.replace("£51.77", "£50.00"), StandardCharsets.UTF_8);

        Maven failing = maven(project, settings, repository, "verify");
        assertThat(failing.exitCode()).as(failing.toString()).isNotZero();
        assertThat(counts(report)).as("tests, failures, errors").containsExactly(1, 1, 0);
        assertThat(Files.readString(report, StandardCharsets.UTF_8)).contains("£50.00");

        // measured for CI's time budget (#12): printed to this test's output file
        System.out.println(
                String.format(
                        Locale.ROOT,
                        "NewProjectIT: install %d s, first build %d s, failing build %d s",
                        TimeUnit.NANOSECONDS.toSeconds(installed - start),
                        TimeUnit.NANOSECONDS.toSeconds(built - installed),
                        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - built)));
    }

    /** A settings file whose one mirror, of every repository, is this build's local repository. */
    private static Path offlineSettings(Path tmp) throws IOException {
        String cache = System.getProperty("arachne.mavenCache");
        Path cacheDir =
                cache == null || cache.isBlank()
                        ? Path.of(System.getProperty("user.home"), ".m2", "repository")
                        : Path.of(cache);
        assertThat(cacheDir).as("the local Maven repository this build uses").isDirectory();
        Path settings = tmp.resolve("settings.xml");
        Files.writeString(
                settings,
                """
                <settings>
                  <mirrors>
                    <mirror>
                      <id>local-cache</id>
                      <mirrorOf>*</mirrorOf>
                      <url>CACHE_URL</url>
                    </mirror>
                  </mirrors>
                </settings>
                """
                        .replace("CACHE_URL", cacheDir.toUri().toString()),
                StandardCharsets.UTF_8);
        return settings;
    }

    /**
     * Installs the parent pom and arachne-core's pom and jar (with its sources and Javadoc jars if
     * they were built) into {@code repository}, in the layout {@code mvn install} writes. Written
     * here rather than by {@code install:install-file}: a CI machine's cache holds only the plugins
     * this build uses, and the install plugin is not one of them ({@code ./run-tests} stops at
     * verify).
     */
    private static void installCore(Path repository) throws IOException {
        String version = ArachneCommand.Version.version();
        Path jar = ROOT.resolve("arachne-core/target/arachne-core-" + version + ".jar");
        if (!Files.isRegularFile(jar)) {
            fail(
                    jar
                            + " is missing: package arachne-core first (this test runs in the"
                            + " reactor build, e.g. ./run-tests -pl"
                            + " arachne-sandbox,arachne-core,arachne-redis,arachne-cli"
                            + " -Dtest=NewProjectIT -Dsurefire.failIfNoSpecifiedTests=false)");
        }
        Path parent = repository.resolve("org/arachne/arachne-parent/" + version);
        Files.createDirectories(parent);
        Files.copy(ROOT.resolve("pom.xml"), parent.resolve("arachne-parent-" + version + ".pom"));
        Path core = repository.resolve("org/arachne/arachne-core/" + version);
        Files.createDirectories(core);
        Files.copy(
                ROOT.resolve("arachne-core/pom.xml"),
                core.resolve("arachne-core-" + version + ".pom"));
        Files.copy(jar, core.resolve(jar.getFileName()));
        for (String classifier : List.of("sources", "javadoc")) {
            Path attached =
                    jar.resolveSibling("arachne-core-" + version + "-" + classifier + ".jar");
            if (Files.isRegularFile(attached)) {
                Files.copy(attached, core.resolve(attached.getFileName()));
            }
        }
    }

    /** One finished Maven run: its exit code and its output. */
    record Maven(int exitCode, String output) {
        @Override
        public String toString() {
            return "mvn exit " + exitCode + "\n--- output\n" + output;
        }
    }

    /** Runs Maven in {@code dir} with the offline settings and the temporary repository. */
    private static Maven maven(Path dir, Path settings, Path repository, String... goals)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(mvn().toString());
        command.add("-B");
        command.add("-q");
        command.add("-s");
        command.add(settings.toString());
        command.add("-Dmaven.repo.local=" + repository);
        command.addAll(List.of(goals));
        Path log = Files.createTempFile(repository.getParent(), "mvn", ".log");
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        if (!process.waitFor(MAVEN_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            fail("mvn " + goals[0] + " did not end within " + MAVEN_LIMIT + ": " + readLog(log));
        }
        return new Maven(process.exitValue(), readLog(log));
    }

    private static String readLog(Path log) throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    private static Path mvn() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "mvn");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return fail("mvn is not on the PATH: NewProjectIT builds a generated project with Maven");
    }

    /** Tests, failures and errors of a Surefire XML report. */
    private static List<Integer> counts(Path report) throws IOException {
        assertThat(report).as("the generated project's test report").exists();
        String xml = Files.readString(report, StandardCharsets.UTF_8);
        List<Integer> counts = new ArrayList<>();
        for (String attribute : List.of("tests", "failures", "errors")) {
            Matcher m =
                    Pattern.compile("<testsuite [^>]*\\b" + attribute + "=\"(\\d+)\"").matcher(xml);
            assertThat(m.find()).as(attribute + " in " + report).isTrue();
            counts.add(Integer.parseInt(m.group(1)));
        }
        return counts;
    }
}
