package org.arachne.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code arachne check} prints warnings with their line, and they keep the exit code 0. */
class CheckWarningsTest {
    @TempDir Path dir;

    @Test
    void check_selectorInTheWrongLanguage_warnsAtItsLine_andIsOk() throws IOException {
        Path file = dir.resolve("shop.yaml");
        Files.writeString(
                file,
                """
                name: shop
                start_urls: ['http://127.0.0.11/']
                items:
                  - each: "//article"
                    fields:
                      title: h3/a/@title
                      price: p.price_color
                """,
                StandardCharsets.UTF_8);

        Run run = Run.of("check", file.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("shop.yaml: ok (1 warning)");
        assertThat(run.err())
                .contains(
                        "shop.yaml:7:14: warning: items[0].fields.price: 'p.price_color' reads as"
                                + " XPath (selector: xpath) but looks like CSS: write css:"
                                + " p.price_color");
    }

    @Test
    void check_noWarning_printsOkAlone() throws IOException {
        Path file = dir.resolve("shop.yaml");
        Files.writeString(
                file,
                "name: shop\nstart_urls: ['http://127.0.0.11/']\nitems:\n"
                        + "  - fields: {title: //title/text()}\n",
                StandardCharsets.UTF_8);

        Run run = Run.of("check", file.toString());

        assertThat(run.out()).contains("shop.yaml: ok\n");
        assertThat(run.err()).isEmpty();
    }
}
