package org.arachne.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.arachne.sandbox.Sandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code arachne shell} driven through stdin (no terminal) against the sandbox. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ShellIT {
    private static final String HOST = "127.0.0.31";
    private static Sandbox sandbox;

    @TempDir Path dir;

    @BeforeAll
    static void startSandbox() throws IOException {
        sandbox = Sandbox.builder().hosts(List.of(HOST)).pagesPerHost(20).port(0).build().start();
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    /** Runs {@code arachne shell ARGS} with {@code snippets} as its stdin. */
    private static Run shell(String snippets, String... args) {
        InputStream stdin = System.in;
        System.setIn(new ByteArrayInputStream(snippets.getBytes(StandardCharsets.UTF_8)));
        try {
            String[] all = new String[args.length + 1];
            all[0] = "shell";
            System.arraycopy(args, 0, all, 1, args.length);
            return Run.of(all);
        } finally {
            System.setIn(stdin);
        }
    }

    private static String firstBookUrl() {
        String url = sandbox.baseUrl(HOST);
        String href =
                Run.of("parse", url, "--xpath", "//article[@class='product_pod']/h3/a/@href")
                        .out()
                        .lines()
                        .findFirst()
                        .orElseThrow();
        return URI.create(url).resolve(href).toString();
    }

    @Test
    void shell_onAPage_printsTheValueOfEachSnippet() {
        String index = sandbox.baseUrl(HOST);
        String title =
                Run.of("parse", index, "--xpath", "//title/text()")
                        .out()
                        .lines()
                        .findFirst()
                        .orElseThrow();
        String book = firstBookUrl();
        Run run =
                shell(
                        """
                        response.status()
                        xpath("//title/text()").get()
                        fetch("%s").url()
                        css("h1::text").get()
                        int answer =
                            40 + 2;
                        """
                                .replace("%s", book),
                        index);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out().lines().toList())
                .containsExactly(
                        "200",
                        '"' + title + '"',
                        '"' + book + '"',
                        '"' + Objects.requireNonNull(sandbox.bookPage(book)).title() + '"',
                        "answer ==> 42");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void shell_failingSnippets_printTheirErrorAndExit5() {
        Run run =
                shell(
                        """
                        int ok = 1;
                        undefinedName + 1
                        Integer.parseInt("forty")
                        ok + 1
                        """,
                        sandbox.baseUrl(HOST));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.out().lines().toList()).containsExactly("ok ==> 1", "2");
        assertThat(run.err())
                .contains("error: cannot find symbol")
                .contains(
                        "exception java.lang.NumberFormatException: For input string:"
                                + " \"forty\"");
    }

    @Test
    void shell_withoutAPage_saysHowToLoadOne() {
        Run run = shell("xpath(\"//a\").getAll()\n");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err())
                .contains("exception java.lang.IllegalStateException: no page loaded: fetch(");
    }

    @Test
    void shell_localFile_isLoadedWithItsFileUrl_andViewWritesItWithABase() throws IOException {
        Path page = dir.resolve("page.html");
        Files.writeString(
                page,
                "<html><head><title>Saved</title></head><body><h1>Kept <a href='x.html'>x</a></h1>"
                        + "</body></html>",
                StandardCharsets.UTF_8);
        Run run =
                shell(
                        """
                        response.url()
                        css("h1::text").get()
                        xpath("//a/@href").get()
                        Files.readString(view(response))
                        """,
                        page.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        String url = page.toAbsolutePath().toUri().toString();
        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.subList(0, 3)).containsExactly('"' + url + '"', "\"Kept \"", "\"x.html\"");
        assertThat(lines.get(3)).contains("<head><base href=\\\"" + url + "\\\"><title>Saved");
    }

    @Test
    void shell_fileUrlInFetch_replacesTheResponse() throws IOException {
        Path page = dir.resolve("other.html");
        Files.writeString(page, "<p>other</p>", StandardCharsets.UTF_8);
        String url = page.toAbsolutePath().toUri().toString();
        Run run =
                shell(
                        """
                        fetch("%s").status()
                        xpath("//p/text()").get()
                        """
                                .replace("%s", url),
                        sandbox.baseUrl(HOST));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out().lines().toList()).containsExactly("200", "\"other\"");
    }

    @Test
    void shell_withASpider_fetchesWithItsSettings() throws IOException {
        Path spider = dir.resolve("agent.yaml");
        Files.writeString(
                spider,
                """
                name: agent
                start_urls: ["http://127.0.0.1:1/"]
                settings:
                  user_agent: TryBot/1.0
                items:
                  - fields:
                      title: //title/text()
                """,
                StandardCharsets.UTF_8);
        Run run =
                shell(
                        """
                        response.json().get("user-agent").get(0).asText()
                        spider.name()
                        """,
                        sandbox.uri("/fault/echo-headers").toString(),
                        "--spider",
                        spider.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out().lines().toList()).containsExactly("\"TryBot/1.0\"", "\"agent\"");
    }

    @Test
    void shell_runtimeWithoutJshell_saysSoAndExits4() throws Exception {
        ChildCrawls.Ended ended =
                ChildCrawls.run(
                        ChildCrawls.command(
                                List.of("--limit-modules", "java.se,jdk.unsupported"), "shell"),
                        dir,
                        Duration.ofSeconds(60));

        assertThat(ended.exitCode()).as(ended.toString()).isEqualTo(ExitCodes.ABORTED);
        assertThat(ended.stderr()).contains("the shell needs the JDK's jdk.jshell module");
        ChildCrawls.assertNoStackTrace(ended);
    }
}
