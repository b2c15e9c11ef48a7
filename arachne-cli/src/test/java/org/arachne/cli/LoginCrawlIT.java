package org.arachne.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.arachne.sandbox.Sandbox;
import org.arachne.sandbox.route.LoginRoute;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check} and {@code crawl} of a spider with a {@code login:} whose password comes from the
 * environment: an unset variable is a problem of the file; a wrong password ends the crawl with the
 * reason and exit code 4, the password shown nowhere.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LoginCrawlIT {
    private static final String HOST = "127.0.0.153";

    /** The host of the test that logs in: the other tests see what it fetched on their own. */
    private static final String LOGGED_IN_HOST = "127.0.0.154";

    private static Sandbox sandbox;

    @TempDir Path dir;

    @BeforeAll
    static void startSandbox() throws IOException {
        sandbox =
                Sandbox.builder()
                        .hosts(List.of(HOST, LOGGED_IN_HOST))
                        .pagesPerHost(2)
                        .port(0)
                        .build()
                        .start();
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    /** The example's login with the password from {@code variable}. */
    private Path spider(String variable) throws IOException {
        String yaml =
                Files.readString(Path.of("..", "examples", "login.yaml"), StandardCharsets.UTF_8)
                        .replace("ARACHNE_SANDBOX_PASSWORD", variable)
                        .replace("output: {path: orders.jsonl, overwrite: true}\n", "");
        Path file = dir.resolve("login.yaml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void checkAndCrawl_passwordVariableNotSet_isAProblemOfTheFile() throws IOException {
        Path spider = spider("ARACHNE_TEST_VARIABLE_NEVER_SET");

        Run check = Run.of("check", spider.toString());
        Run crawl = Run.of("crawl", spider.toString(), "-a", "host=" + HOST + ":1");

        for (Run run : List.of(check, crawl)) {
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
            assertThat(run.err())
                    .contains(
                            "login.yaml:13:",
                            "login.fields.password.env: the environment variable"
                                    + " ARACHNE_TEST_VARIABLE_NEVER_SET is not set");
        }
    }

    @Test
    void crawl_wrongPassword_endsWithTheReasonAndExitCode4() throws IOException {
        // PATH is set in every environment, and is not the password
        Path spider = spider("PATH");
        Path out = dir.resolve("orders.jsonl");

        Run run =
                Run.of(
                        "crawl",
                        spider.toString(),
                        "-a",
                        "host=" + HOST + ":" + sandbox.port(),
                        "-o",
                        out.toString(),
                        "--log-level",
                        "debug");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.ABORTED);
        assertThat(run.out() + run.err())
                .contains("login failed")
                .doesNotContain(System.getenv("PATH"));
        assertThat(sandbox.log(HOST).paths()).doesNotContain("/account/");
    }

    @Test
    void parseContractsAndShell_ofALoginSpider_logInFirst() throws Exception {
        String contract =
                "contracts:\n"
                        + "  - url: 'http://${host}/account/orders/1'\n"
                        + "    items: 1\n"
                        + "    scrapes: [id, total, status]\n";
        Path spider = spider("ARACHNE_SANDBOX_PASSWORD");
        Files.writeString(
                spider,
                Files.readString(spider, StandardCharsets.UTF_8) + contract,
                StandardCharsets.UTF_8);
        String host = "host=" + LOGGED_IN_HOST + ":" + sandbox.port();
        String order = "http://" + LOGGED_IN_HOST + ":" + sandbox.port() + "/account/orders/1";

        Path out = dir.resolve("parse.out");
        Process parse =
                child(
                        out,
                        dir.resolve("parse.err"),
                        ChildCrawls.command(
                                "parse", order, "--spider", spider.toString(), "-a", host));
        ChildCrawls.Ended parsed = ChildCrawls.ended(parse, dir.resolve("parse.err"), LIMIT);
        Process check =
                child(
                        dir.resolve("check.out"),
                        dir.resolve("check.err"),
                        ChildCrawls.command("check", "--contracts", spider.toString(), "-a", host));
        ChildCrawls.Ended checked = ChildCrawls.ended(check, dir.resolve("check.err"), LIMIT);

        Path snippets = dir.resolve("snippets.txt");
        Files.writeString(snippets, "xpath(\"//h1/text()\").get()\n", StandardCharsets.UTF_8);
        ProcessBuilder shellCommand =
                new ProcessBuilder(
                                ChildCrawls.command(
                                        "shell", order, "--spider", spider.toString(), "-a", host))
                        .redirectInput(snippets.toFile())
                        .redirectOutput(dir.resolve("shell.out").toFile())
                        .redirectError(dir.resolve("shell.err").toFile());
        shellCommand.environment().put("ARACHNE_SANDBOX_PASSWORD", LoginRoute.PASSWORD);
        ChildCrawls.Ended shell =
                ChildCrawls.ended(shellCommand.start(), dir.resolve("shell.err"), LIMIT);

        assertThat(shell.exitCode()).as(shell.toString()).isZero();
        assertThat(Files.readString(dir.resolve("shell.out"), StandardCharsets.UTF_8))
                .contains("\"Order 1\"");
        assertThat(parsed.exitCode()).as(parsed.toString()).isZero();
        assertThat(Files.readString(out, StandardCharsets.UTF_8))
                .containsPattern("\\{\"id\":1,\"total\":[0-9.]+,\"status\":\"[a-z]+\"\\}");
        assertThat(checked.exitCode()).as(checked.toString()).isZero();
        assertThat(Files.readString(dir.resolve("check.out"), StandardCharsets.UTF_8))
                .contains("PASS");
        assertThat(parsed.stderr() + checked.stderr() + shell.stderr())
                .doesNotContain(LoginRoute.PASSWORD);
    }

    private static final Duration LIMIT = Duration.ofSeconds(60);

    /** A child {@code arachne} with the sandbox's password in its environment. */
    private static Process child(Path out, Path err, List<String> command) throws IOException {
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile());
        builder.environment().put("ARACHNE_SANDBOX_PASSWORD", LoginRoute.PASSWORD);
        return builder.start();
    }
}
