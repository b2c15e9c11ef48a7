package org.arachne.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class CliTest {
    static final String GOOD_SPIDER =
            """
            name: books
            start_urls: ["http://127.0.0.11:1/"]
            rules:
              - follow: true
            items:
              - each: "//article[@class='product_pod']"
                fields:
                  title: {xpath: "./h3/a/@title"}
                  price: {xpath: ".//p[@class='price_color']/text()"}
                  link: {xpath: "./h3/a/@href", type: url}
            """;

    @TempDir Path dir;

    private Path file(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void help_listsSubcommandsAndExitCodes() {
        Run run = Run.of("--help");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out())
                .contains("crawl", "check", "demo", "sandbox", "fetch", "parse", "version", "130")
                .contains("worker", "status", "export", "stop");
    }

    @Test
    void version_namesArachneAndJava() {
        Run run = Run.of("--version");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("arachne ").contains("Java ");
        assertThat(Run.of("version").out()).isEqualTo(run.out());
    }

    static Set<String> subcommands() {
        return Main.commandLine().getSubcommands().keySet();
    }

    /** #9: {@code version --help} was a usage error. */
    @ParameterizedTest
    @MethodSource("subcommands")
    void help_worksOnEverySubcommand(String subcommand) {
        Run run = Run.of(subcommand, "--help");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith("Usage: arachne " + subcommand).contains("--help");
    }

    @Test
    void noSubcommand_isAUsageError() {
        Run run = Run.of();
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("Missing required subcommand");
    }

    @Test
    void unknownOption_isAUsageError() {
        Run run = Run.of("crawl", "--no-such-option", "x.yaml");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--no-such-option");
    }

    @Test
    void check_goodFile_isOk() throws IOException {
        Path spider = file("books.yaml", GOOD_SPIDER);
        Run run = Run.of("check", spider.toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("books.yaml: ok");
    }

    @Test
    void check_badFile_printsEveryProblemWithLineAndField() throws IOException {
        Path spider =
                file(
                        "bad.yaml",
                        """
                        name: books
                        start_urls: [http://127.0.0.11:1/]
                        allowed_domain: [127.0.0.11]
                        items:
                          - fields:
                              price: {xpath: "//p[", type: decimal}
                        """);
        Run run = Run.of("check", spider.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err())
                .contains("bad.yaml:3:1: allowed_domain")
                .contains("did you mean 'allowed_domains'")
                .contains("bad.yaml:6:")
                .contains("items[0].fields.price.xpath")
                .contains("2 problems");
    }

    private static final String SPIDER_WITH_ARGUMENTS =
            """
            name: shop
            arguments:
              category: travel
              host: ~
            start_urls: ['http://${host}/c/${category}']
            """;

    @Test
    void check_spiderArgumentsGiven_isOk() throws IOException {
        Path spider = file("shop.yaml", SPIDER_WITH_ARGUMENTS);
        Run run = Run.of("check", spider.toString(), "-a", "host=127.0.0.11:8321");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("shop.yaml: ok");
    }

    @Test
    void check_spiderArgumentMissingOrUndeclared_namesEachOne() throws IOException {
        Path spider = file("shop.yaml", SPIDER_WITH_ARGUMENTS);
        Run run = Run.of("check", spider.toString(), "-a", "categroy=poetry");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err())
                .contains(
                        "shop.yaml:3:3: arguments: argument 'categroy' is given but not declared;"
                                + " did you mean 'category'?")
                .contains(
                        "shop.yaml:4:3: arguments.host: argument 'host' has no default and is not"
                                + " given; give it with -a host=VALUE")
                .contains("2 problems");
    }

    @Test
    void crawl_spiderArgumentMissing_isAConfigErrorBeforeAnyRequest() throws IOException {
        Path spider = file("shop.yaml", SPIDER_WITH_ARGUMENTS);
        Run run = Run.of("crawl", spider.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err()).contains("arguments.host: argument 'host' has no default");
    }

    @Test
    void crawl_argumentsForAJavaSpider_areRefused() {
        Run run = Run.of("crawl", "--class", NotASpider.class.getName(), "-a", "x=1");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err()).contains("-a: arguments are for YAML spiders");
    }

    /** #9: upper-case Scrapy names worked with -s but were unknown settings in YAML. */
    @Test
    void check_scrapyUpperCaseSettingsAndLogLevels_areOk() throws IOException {
        Path spider =
                file(
                        "upper.yaml",
                        GOOD_SPIDER
                                + """
                                settings:
                                  CONCURRENT_REQUESTS: 4
                                  ROBOTSTXT_OBEY: no
                                  Download_Delay: 250ms
                                  LOG_LEVEL: WARNING
                                """);
        Run run = Run.of("check", spider.toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
    }

    @Test
    void check_sameSettingTwiceInDifferentCase_isAProblem() throws IOException {
        Path spider =
                file(
                        "twice.yaml",
                        GOOD_SPIDER
                                + """
                                settings:
                                  concurrent_requests: 4
                                  CONCURRENT_REQUESTS: 8
                                """);
        Run run = Run.of("check", spider.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err())
                .contains(
                        "twice.yaml:13:3: settings.CONCURRENT_REQUESTS: 'concurrent_requests' is"
                                + " already set above, as 'concurrent_requests'");
    }

    /** Booleans take yes/no, and a negative depth is refused naming the rule, in both places. */
    @Test
    void check_robotstxtObeyNo_isOk_butANegativeDepthLimitNamesTheRule() throws IOException {
        Path spider =
                file(
                        "rules.yaml",
                        GOOD_SPIDER
                                + """
                                settings:
                                  robotstxt_obey: no
                                  depth_limit: -1
                                """);
        Run run = Run.of("check", spider.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err())
                .contains(
                        "rules.yaml:13:16: settings.depth_limit: has value '-1', expected a whole"
                                + " number, 0 or more")
                .contains("1 problem")
                .doesNotContain("robotstxt_obey");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "depth_limit=-1 | setting 'depth_limit' has value '-1', expected a whole number, 0"
                        + " or more",
                "ROBOTSTXT_OBEY=maybe | setting 'robotstxt_obey' has value 'maybe', expected true"
                        + " or false"
            })
    void crawl_settingAgainstItsRule_isAConfigErrorNamingTheRule(String setting, String message)
            throws IOException {
        Path spider = file("books.yaml", GOOD_SPIDER);
        Run run = Run.of("crawl", spider.toString(), "-s", setting);
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err()).isEqualTo("arachne: -s: " + message + "\n");
    }

    /** #9: -s LOG_LEVEL=WARNING and --log-level WARNING were unknown levels. */
    @ParameterizedTest
    @CsvSource({
        "-s, LOG_LEVEL=WARNING",
        "-s, log_level=CRITICAL",
        "--log-level, WARNING",
        "--log-level, DEBUG"
    })
    void crawl_scrapyLogLevels_areAccepted(String option, String value) throws IOException {
        Path spider = file("books.yaml", GOOD_SPIDER);
        Run run =
                Run.of(
                        "crawl",
                        spider.toString(),
                        option,
                        value,
                        "-s",
                        "ROBOTSTXT_OBEY=no",
                        "-s",
                        "retry_times=0");
        assertThat(run.exitCode()).as(run.toString()).isNotEqualTo(ExitCodes.CONFIG);
        assertThat(run.err()).contains("crawl finished").doesNotContain("robotstxt/");
    }

    @Test
    void check_missingFile_isAConfigError() {
        Run run = Run.of("check", dir.resolve("missing.yaml").toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err()).contains("missing.yaml");
    }

    @Test
    void crawl_badYaml_isAConfigErrorNamingLineAndField() throws IOException {
        Path spider = file("bad.yaml", GOOD_SPIDER.replace("type: url", "type: link"));
        Run run = Run.of("crawl", spider.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err())
                .contains("bad.yaml:10:43: items[0].fields.link.type: unknown type 'link'")
                .contains("items[0].fields.link.type");
    }

    @Test
    void crawl_unknownSetting_isAConfigErrorWithASuggestion() throws IOException {
        Path spider = file("books.yaml", GOOD_SPIDER);
        Run run = Run.of("crawl", spider.toString(), "-s", "concurent_requests=4");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err())
                .contains("unknown setting 'concurent_requests'")
                .contains("did you mean 'concurrent_requests'");
    }

    @Test
    void crawl_badSettingValue_isAConfigError() throws IOException {
        Path spider = file("books.yaml", GOOD_SPIDER);
        Run run = Run.of("crawl", spider.toString(), "-s", "download_delay=soon");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err()).contains("download_delay").contains("soon");
    }

    @Test
    void crawl_unknownLogLevel_isAConfigError() throws IOException {
        Path spider = file("books.yaml", GOOD_SPIDER);
        Run run =
                Run.of(
                        "crawl",
                        spider.toString(),
                        "--log-level",
                        "loud",
                        "-s",
                        "robotstxt_obey=false");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err()).contains("--log-level").contains("loud");
    }

    @Test
    void crawl_appendToJsonArray_isRefusedBeforeCrawling() throws IOException {
        Path spider = file("books.yaml", GOOD_SPIDER);
        Path out = file("books.json", "[\n{\"a\":1}\n]\n");
        Run run = Run.of("crawl", spider.toString(), "-o", out.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err()).contains("-O").contains(".jsonl");
        assertThat(Files.readString(out, StandardCharsets.UTF_8)).isEqualTo("[\n{\"a\":1}\n]\n");
    }

    @Test
    void crawl_unknownOutputExtension_isAConfigError() throws IOException {
        Path spider = file("books.yaml", GOOD_SPIDER);
        Run run = Run.of("crawl", spider.toString(), "-O", dir.resolve("books.xml").toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err()).contains("books.xml").contains(".jsonl, .json or .csv");
    }

    /**
     * #9: before, the crawl ran first (a bad --stats-json failed after it) or a stack trace hid
     * why.
     */
    @ParameterizedTest
    @CsvSource({
        "-O, books.jsonl, output",
        "-o, books.csv, output",
        "--stats-json, stats.json, --stats-json",
        "--fetched-urls, urls.txt, --fetched-urls"
    })
    void crawl_fileUnderARegularFile_isOneConfigLineWithTheReason_beforeCrawling(
            String option, String name, String what) throws IOException {
        Path spider = file("books.yaml", GOOD_SPIDER);
        Path notAFolder = file("afile", "x");
        Path target = notAFolder.resolve(name);
        Run run = Run.of("crawl", spider.toString(), option, target.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err())
                .as("one line, no crawl")
                .isEqualTo(
                        "arachne: cannot open "
                                + what
                                + " "
                                + target
                                + ": "
                                + notAFolder
                                + ": Not a directory\n");
    }

    @Test
    void crawl_outputThatIsADirectory_isAConfigErrorBeforeCrawling() throws IOException {
        Path spider = file("books.yaml", GOOD_SPIDER);
        Path folder = Files.createDirectories(dir.resolve("out.jsonl"));
        Run run = Run.of("crawl", spider.toString(), "-O", folder.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err())
                .isEqualTo(
                        "arachne: cannot open output "
                                + folder
                                + ": "
                                + folder
                                + ": Is a directory\n");
    }

    @Test
    void crawl_outputInMissingFolders_createsThemAndLeavesNoFileBehindOnAConfigError()
            throws IOException {
        Path spider = file("books.yaml", GOOD_SPIDER);
        Path out = dir.resolve("new/folder/books.jsonl");
        Path notAFolder = file("afile", "x");
        Run run =
                Run.of(
                        "crawl",
                        spider.toString(),
                        "-O",
                        out.toString(),
                        "--stats-json",
                        notAFolder.resolve("stats.json").toString(),
                        "-s",
                        "robotstxt_obey=false");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(out.getParent()).isDirectory();
        assertThat(out).doesNotExist();
    }

    /** #9: a crawl whose every request failed exited 0. */
    @Test
    void crawl_everyRequestFailed_saysNoPageCouldBeFetched_andExits7() throws IOException {
        Path spider = file("books.yaml", GOOD_SPIDER);
        Run run = Run.of("crawl", spider.toString(), "-s", "retry_times=0");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.NO_PAGE);
        assertThat(run.err())
                .contains("crawl finished (finished)")
                .endsWith(
                        "arachne: no page could be fetched: every request failed (errors:"
                                + " robotstxt/gave_up 1, robotstxt/unavailable 1; failed downloads:"
                                + " connect 1)\n");
    }

    @Test
    void sandbox_servesOnThePortOfTheExampleSpiders() throws IOException {
        assertThat(new SandboxCommand().port).isEqualTo(8321);
        try (var files = Files.list(Path.of("..", "examples"))) {
            List<Path> spiders = files.filter(f -> f.toString().endsWith(".yaml")).toList();
            assertThat(spiders).isNotEmpty();
            for (Path example : spiders) {
                String yaml = Files.readString(example, StandardCharsets.UTF_8);
                assertThat(Pattern.compile("127\\.0\\.0\\.1[1-4]:(\\d+)").matcher(yaml).results())
                        .as(example.toString())
                        .allSatisfy(m -> assertThat(m.group(1)).isEqualTo("8321"));
            }
        }
    }

    @ParameterizedTest
    @CsvSource({
        "--port, 70000, '--port: 0 to 65535, got 70000'",
        "--pages, 1, '--pages: at least 2, got 1'"
    })
    void sandbox_badOption_isAConfigError(String option, String value, String message) {
        Run run = Run.of("sandbox", option, value);
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err()).isEqualTo("arachne: " + message + "\n");
    }

    @Test
    void crawl_classThatIsNotASpider_isAConfigError() {
        Run run = Run.of("crawl", "--class", NotASpider.class.getName());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err()).contains("does not implement org.arachne.spider.Spider");
    }

    @Test
    void crawl_missingClass_isAConfigErrorNamingTheClassPath() {
        Run run = Run.of("crawl", "--class", "com.acme.BooksSpider", "-cp", dir.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err()).contains("cannot load com.acme.BooksSpider from " + dir);
    }

    @Test
    void crawl_missingClassPathEntry_isAConfigError() {
        Run run =
                Run.of(
                        "crawl",
                        "--class",
                        "com.acme.BooksSpider",
                        "-cp",
                        dir.resolve("no.jar").toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err()).contains("no.jar does not exist");
    }

    @Test
    void crawl_spiderWithoutNoArgConstructor_isAConfigError() {
        Run run = Run.of("crawl", "--class", NeedsArgumentSpider.class.getName());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err()).contains("public constructor without parameters");
    }

    @Test
    void crawl_bothFileAndClass_isAUsageError() {
        Run run = Run.of("crawl", "books.yaml", "--class", NotASpider.class.getName());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void parse_needsASelector() {
        Run run = Run.of("parse", "http://127.0.0.11:1/");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--xpath").contains("--css");
    }
}
