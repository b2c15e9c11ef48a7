package org.arachne.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.arachne.spider.yaml.SpiderDefinition;
import org.arachne.spider.yaml.YamlSpiders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code arachne new spider NAME URL}. */
class NewSpiderTest {
    @TempDir Path dir;

    @Test
    void newSpider_writesASkeletonThatChecksWithoutProblemOrWarning() throws IOException {
        Path file = dir.resolve("shop.yaml");

        Run run =
                Run.of(
                        "new",
                        "spider",
                        "shop",
                        "https://www.example.com/books/",
                        "-o",
                        file.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("wrote " + file);
        assertThat(YamlSpiders.check(file)).isEmpty();
        assertThat(YamlSpiders.warnings(file, Map.of())).isEmpty();
        SpiderDefinition spider = YamlSpiders.load(file).definition();
        assertThat(spider.name()).isEqualTo("shop");
        assertThat(spider.startUrls()).containsExactly("https://www.example.com/books/");
        assertThat(spider.allowedDomains()).containsExactly("www.example.com");
        assertThat(spider.rules()).hasSize(1);
        assertThat(spider.items()).hasSize(1);
        assertThat(YamlSpiders.contracts(file, Map.of()))
                .singleElement()
                .satisfies(c -> assertThat(c.url()).isEqualTo("https://www.example.com/books/"));
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).contains("examples/README.md");
        Run check = Run.of("check", file.toString());
        assertThat(check.exitCode()).as(check.toString()).isZero();
        assertThat(check.out()).contains(file + ": ok\n");
    }

    @Test
    void newSpider_urlWithQuotesPortAndDollar_isWrittenAsIs() throws IOException {
        Path file = dir.resolve("odd.yaml");
        String url = "http://127.0.0.11:8321/search?q=it's&p=${x}";

        Run run = Run.of("new", "spider", "odd", url, "-o", file.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(YamlSpiders.check(file)).isEmpty();
        SpiderDefinition spider = YamlSpiders.load(file).definition();
        assertThat(spider.startUrls()).hasSize(1);
        assertThat(spider.startUrls().get(0)).contains("it").contains("$%7Bx%7D");
        assertThat(spider.allowedDomains()).containsExactly("127.0.0.11");
    }

    @Test
    void newSpider_existingFile_isKeptUnlessForce() throws IOException {
        Path file = dir.resolve("shop.yaml");
        Files.writeString(file, "mine\n", StandardCharsets.UTF_8);

        Run refused = Run.of("new", "spider", "shop", "http://example.com/", "-o", file.toString());

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(refused.err()).contains(file + " exists; give --force to overwrite it");
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo("mine\n");

        Run forced =
                Run.of(
                        "new",
                        "spider",
                        "shop",
                        "http://example.com/",
                        "-o",
                        file.toString(),
                        "--force");

        assertThat(forced.exitCode()).as(forced.toString()).isZero();
        assertThat(YamlSpiders.check(file)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.com/", "example.com", "/books"})
    void newSpider_badUrl_isAConfigError(String url) {
        Run run = Run.of("new", "spider", "shop", url, "-o", dir.resolve("x.yaml").toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err()).contains("URL: ");
        assertThat(dir.resolve("x.yaml")).doesNotExist();
    }

    @Test
    void newSpider_badName_isAConfigError() {
        Run run =
                Run.of(
                        "new",
                        "spider",
                        "my shop",
                        "http://example.com/",
                        "-o",
                        dir.resolve("x.yaml").toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err()).contains("NAME: 'my shop' cannot name a spider");
    }

    @Test
    void new_withoutSubcommand_isAUsageError() {
        Run run = Run.of("new");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("Missing required subcommand").contains("spider");
    }
}
