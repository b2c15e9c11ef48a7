package org.arachne.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.arachne.sandbox.Sandbox;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code arachne check --contracts} against the sandbox's books site. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ContractsIT {
    private static Sandbox sandbox;
    private static String host;

    @TempDir Path dir;

    @BeforeAll
    static void startSandbox() throws IOException {
        sandbox = Sandbox.shared();
        host = sandbox.hosts().get(0) + ":" + sandbox.port();
    }

    /** A spider of the books site with these contracts (and the book block's). */
    private static final String SPIDER =
            """
            name: books
            arguments: {host: ~}
            start_urls: ['http://${host}/']
            rules:
              - restrict_xpaths: ["//article[@class='product_pod']"]
                callback: book
            items:
              - each: "//article[@class='product_pod']"
                fields:
                  title: {xpath: "h3/a/@title", required: true}
                  price: ".//p[@class='price_color']/text()"
                  badge: "h3/span/text()"
              - name: book
                fields:
                  name: //h1/text()
                  price: "//p[@class='price_color main']/text()"
                contracts:
                  - url: 'http://${host}/catalogue/book-00001.html'
                    items: 1
                    scrapes: [name, price]
                    requests: 0
            contracts:
            """;

    private Path spider(String contracts) throws IOException {
        Path file = dir.resolve("books.yaml");
        Files.writeString(file, SPIDER + contracts, StandardCharsets.UTF_8);
        return file;
    }

    private static Run check(Path file) {
        return Run.of("check", "--contracts", file.toString(), "-a", "host=" + host);
    }

    @Test
    void contracts_thatHold_passAndExit0() throws IOException {
        Path file =
                spider(
                        """
                          - url: 'http://${host}/'
                            items: {min: 1}
                            scrapes: [title, price]
                            requests: {min: 1, pattern: '/catalogue/book-'}
                        """);

        Run run = check(file);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out())
                .contains("books.yaml: ok")
                .contains("PASS book http://" + host + "/catalogue/book-00001.html (1 item,")
                .contains("PASS parse http://" + host + "/ (")
                .contains("books.yaml: 2 contracts, 2 passed, 0 failed");
    }

    @Test
    void contracts_thatDoNotHold_sayWhatDifferedAndExit9() throws IOException {
        Path file =
                spider(
                        """
                          - url: 'http://${host}/'
                            items: {min: 1000}
                            scrapes: [title, badge]
                            requests: {min: 1, pattern: '/nowhere/'}
                          - url: 'http://${host}/catalogue/book-00002.html'
                            callback: book
                            items: 2
                          - url: 'http://127.0.0.1:1/'
                            items: 1
                        """);

        Run run = check(file);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONTRACT_FAILED);
        assertThat(run.out())
                .contains("PASS book http://" + host + "/catalogue/book-00001.html")
                .contains("FAIL parse http://" + host + "/ (")
                .containsPattern("parse: expected at least 1000 items, got \\d+\n")
                .containsPattern("parse: field badge empty in (\\d+) of \\1 items\n")
                .containsPattern(
                        "parse: expected at least 1 request matching '/nowhere/' \\(of \\d+ in"
                                + " all\\), got 0\n")
                .doesNotContain("field title empty")
                .contains("FAIL book http://" + host + "/catalogue/book-00002.html")
                .contains("book: expected 2 items, got 1")
                .contains("FAIL parse http://127.0.0.1:1/\n  parse: no response from")
                .contains("books.yaml: 4 contracts, 1 passed, 3 failed");
    }

    @Test
    void contracts_metaIsInTheRequest_forFieldsThatReadIt() throws IOException {
        Path file = dir.resolve("meta.yaml");
        Files.writeString(
                file,
                """
                name: meta
                arguments: {host: ~}
                start_urls: ['http://${host}/']
                items:
                  - name: book
                    fields:
                      name: //h1/text()
                      listed: {value: meta, name: listed}
                contracts:
                  - url: 'http://${host}/catalogue/book-00001.html'
                    callback: book
                    scrapes: [listed]
                    meta: {listed: '£1.00'}
                  - url: 'http://${host}/catalogue/book-00001.html'
                    callback: book
                    scrapes: [listed]
                """,
                StandardCharsets.UTF_8);

        Run run = check(file);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONTRACT_FAILED);
        assertThat(run.out())
                .contains("book: field listed empty in 1 of 1 item")
                .contains("meta.yaml: 2 contracts, 1 passed, 1 failed");
    }

    @Test
    void contracts_none_saySo() throws IOException {
        Path file = dir.resolve("none.yaml");
        Files.writeString(
                file, "name: none\nstart_urls: ['http://" + host + "/']\n", StandardCharsets.UTF_8);

        Run run = Run.of("check", "--contracts", file.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("none.yaml: no contracts to check");
    }

    @Test
    void contracts_badBlock_isAConfigErrorAtItsLine_andNothingIsFetched() throws IOException {
        Path file = spider("  - url: 'http://${host}/'\n    itmes: 3\n");

        Run run = check(file);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err())
                .contains(
                        "books.yaml:24:5: contracts[0].itmes: unknown key 'itmes'; did you mean"
                                + " 'items'?");
        assertThat(run.out()).doesNotContain("PASS").doesNotContain("FAIL");
    }

    @Test
    void contracts_ofAJavaSpider_fromItsAnnotations() throws IOException {
        String source =
                """
                package com.acme;

                import org.arachne.http.Response;
                import org.arachne.item.Item;
                import org.arachne.select.Selection;
                import org.arachne.spider.Output;
                import org.arachne.spider.Spider;
                import org.arachne.spider.contract.Contract;
                import org.arachne.spider.contract.Range;

                public class AnnotatedSpider implements Spider {
                    public String name() { return "annotated"; }

                    @Contract(url = "http://HOST/", items = @Range(min = 1), scrapes = {"title"},
                            requests = @Range(min = 1), requestPattern = "/catalogue/book-")
                    public void parse(Response response, Output out) {
                        for (Selection book : response.xpath("//article[@class='product_pod']").nodes()) {
                            out.item(Item.of("title", book.xpath("h3/a/@title").get()));
                            out.follow(book.xpath("h3/a/@href").get(), this::parseBook);
                        }
                    }

                    @Contract(url = "http://HOST/catalogue/book-00001.html", items = @Range(min = 1, max = 1))
                    void parseBook(Response response, Output out) {
                        throw new IllegalStateException("no price on " + response.url());
                    }
                }
                """
                        .replace("HOST", host);
        Path src = dir.resolve("src/com/acme/AnnotatedSpider.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, source, StandardCharsets.UTF_8);
        Path classes = dir.resolve("classes");
        int compiled =
                javax.tools.ToolProvider.getSystemJavaCompiler()
                        .run(
                                null,
                                null,
                                null,
                                "-cp",
                                System.getProperty("java.class.path"),
                                "-d",
                                classes.toString(),
                                src.toString());
        assertThat(compiled).isZero();

        Run run =
                Run.of(
                        "check",
                        "--contracts",
                        "--class",
                        "com.acme.AnnotatedSpider",
                        "-cp",
                        classes.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONTRACT_FAILED);
        assertThat(run.out())
                .contains("class com.acme.AnnotatedSpider: ok")
                .contains("PASS parse http://" + host + "/ (")
                .contains("FAIL parseBook http://" + host + "/catalogue/book-00001.html (0 items")
                .contains(
                        "parseBook: callback failed: java.lang.IllegalStateException: no price on"
                                + " http://"
                                + host
                                + "/catalogue/book-00001.html")
                .contains("parseBook: expected 1 item, got 0")
                .contains("class com.acme.AnnotatedSpider: 2 contracts, 1 passed, 1 failed");
    }

    @Test
    void contracts_ofTheExamples_passAgainstTheSandbox() {
        for (String example : new String[] {"books.yaml", "books-api.yaml"}) {
            Run run =
                    Run.of(
                            "check",
                            "--contracts",
                            Path.of("..", "examples", example).toString(),
                            "-a",
                            "host=" + host);

            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.out()).contains(" failed").contains(", 0 failed").doesNotContain("FAIL");
        }
    }

    @Test
    void contracts_ofANewSpiderSkeleton_passOnAnyPageWithATitle() {
        Path file = dir.resolve("sandbox.yaml");
        Run made =
                Run.of("new", "spider", "sandbox", "http://" + host + "/", "-o", file.toString());
        assertThat(made.exitCode()).as(made.toString()).isZero();

        Run run = Run.of("check", "--contracts", file.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out())
                .contains(file + ": ok\n")
                .contains("PASS parse http://" + host + "/ (1 item,")
                .contains(file + ": 1 contract, 1 passed, 0 failed");
    }

    @Test
    void contracts_areFetchedWithTheSpidersSettings_underThoseOfTheCommandLine()
            throws IOException {
        Path file = dir.resolve("private.yaml");
        Files.writeString(
                file,
                """
                name: private
                arguments: {host: ~}
                start_urls: ['http://${host}/']
                settings:
                  robotstxt_obey: false          # robots.txt forbids /private/
                items:
                  - fields: {title: //title/text()}
                contracts:
                  - url: 'http://${host}/private/account.html'
                    items: 1
                """,
                StandardCharsets.UTF_8);

        Run spiders = check(file);
        Run commandLine =
                Run.of(
                        "check",
                        "--contracts",
                        file.toString(),
                        "-a",
                        "host=" + host,
                        "-s",
                        "robotstxt_obey=true");

        assertThat(spiders.exitCode()).as(spiders.toString()).isZero();
        assertThat(spiders.out()).contains("PASS parse http://" + host + "/private/account.html");
        assertThat(commandLine.exitCode())
                .as(commandLine.toString())
                .isEqualTo(ExitCodes.CONTRACT_FAILED);
        assertThat(commandLine.out()).contains("parse: no response from").contains("robots.txt");
    }
}
