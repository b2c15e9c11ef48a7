package org.arachne.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.arachne.item.export.Feed;
import org.arachne.sandbox.Sandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Item pipelines by class name (#12): compiled at test time into a folder, named by a spider file's
 * {@code pipelines:} and by {@code --pipeline}, loaded with {@code -cp}; and the config errors when
 * one cannot be had.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PipelineClassIT {
    private static Sandbox sandbox;

    @TempDir static Path classes;

    @TempDir Path dir;

    private static final Map<String, String> SOURCES =
            Map.of(
                    "acme/Upper.java",
                    """
                    package acme;
                    import org.arachne.item.Item;
                    import org.arachne.item.ItemPipeline;
                    /** Upper-cases the title and says it saw the item. */
                    public class Upper implements ItemPipeline {
                        public Item process(Item item) {
                            String title = String.valueOf(item.get("title"));
                            return item.with("title", title.toUpperCase(java.util.Locale.ROOT))
                                    .with("seen", "yaml");
                        }
                    }
                    """,
                    "acme/DropEven.java",
                    """
                    package acme;
                    import org.arachne.item.Item;
                    import org.arachne.item.ItemPipeline;
                    /** Drops items whose title has an even length; marks the others. */
                    public class DropEven implements ItemPipeline {
                        public Item process(Item item) {
                            String title = String.valueOf(item.get("title"));
                            return title.length() % 2 == 0
                                    ? null
                                    : item.with("seen", item.get("seen") + ",cli");
                        }
                    }
                    """,
                    "acme/HelloSpider.java",
                    """
                    package acme;
                    import java.util.List;
                    import org.arachne.http.Response;
                    import org.arachne.spider.Output;
                    import org.arachne.spider.Spider;
                    /** One page, answered from its data: URL: one item titled hello. */
                    public class HelloSpider implements Spider {
                        public String name() {
                            return "hello";
                        }
                        public List<String> startUrls() {
                            return List.of("data:text/html,<h1>hello</h1>");
                        }
                        public void parse(Response response, Output out) {
                            out.item(java.util.Map.of("title", response.css("h1::text").get()));
                        }
                    }
                    """,
                    "acme/NotAPipeline.java",
                    """
                    package acme;
                    public class NotAPipeline {}
                    """,
                    "acme/Broken.java",
                    """
                    package acme;
                    import org.arachne.item.Item;
                    import org.arachne.item.ItemPipeline;
                    public class Broken implements ItemPipeline {
                        public Broken() {
                            throw new IllegalStateException("no database configured");
                        }
                        public Item process(Item item) {
                            return item;
                        }
                    }
                    """);

    @BeforeAll
    static void start() throws IOException {
        sandbox = Sandbox.builder().hosts(1).pagesPerHost(20).port(0).build().start();
        Path src = classes.resolve("src");
        List<String> args =
                new java.util.ArrayList<>(
                        List.of("-cp", System.getProperty("java.class.path"), "-d", "" + classes));
        for (Map.Entry<String, String> source : SOURCES.entrySet()) {
            Path file = src.resolve(source.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue(), StandardCharsets.UTF_8);
            args.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac.run(null, null, null, args.toArray(String[]::new))).isZero();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    private Path spider(String extra) throws IOException {
        Path file = dir.resolve("pipes.yaml");
        Files.writeString(
                file,
                CliTest.GOOD_SPIDER.replace(
                                "[\"http://127.0.0.11:1/\"]",
                                "[\""
                                        + sandbox.startUrls().get(0)
                                        + "\"]\nallowed_domains: ["
                                        + sandbox.hosts().get(0)
                                        + "]")
                        + extra,
                StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void pipelinesFromTheFileThenTheOptions_changeAndDropItems_inOrder() throws IOException {
        Path plainOut = dir.resolve("plain.jsonl");
        Run plain = Run.of("crawl", spider("").toString(), "-O", plainOut.toString());
        assertThat(plain.exitCode()).as(plain.toString()).isZero();
        Path out = dir.resolve("piped.jsonl");

        Run run =
                Run.of(
                        "crawl",
                        spider("pipelines: [acme.Upper]\n").toString(),
                        "--pipeline",
                        "acme.DropEven",
                        "-cp",
                        classes.toString(),
                        "-O",
                        out.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<Map<String, Object>> expected =
                OutputFiles.readItems(Feed.of(plainOut, true)).stream()
                        .filter(item -> String.valueOf(item.get("title")).length() % 2 == 1)
                        .map(
                                item ->
                                        Map.<String, Object>of(
                                                "title",
                                                String.valueOf(item.get("title"))
                                                        .toUpperCase(Locale.ROOT),
                                                "price",
                                                item.get("price"),
                                                "link",
                                                item.get("link"),
                                                "seen",
                                                "yaml,cli"))
                        .toList();
        assertThat(expected).isNotEmpty();
        assertThat(OutputFiles.readItems(Feed.of(out, true)))
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void javaSpiderAndItsPipeline_loadFromTheSameClassPath() throws IOException {
        Path out = dir.resolve("hello.jsonl");

        Run run =
                Run.of(
                        "crawl",
                        "--class",
                        "acme.HelloSpider",
                        "--pipeline",
                        "acme.Upper",
                        "-cp",
                        classes.toString(),
                        "-O",
                        out.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(OutputFiles.readItems(Feed.of(out, true)))
                .containsExactly(Map.of("title", "HELLO", "seen", "yaml"));
    }

    @Test
    void missingClassOption_isAConfigErrorNamingTheOptionAndTheClass() throws IOException {
        Run run =
                Run.of(
                        "crawl",
                        spider("").toString(),
                        "--pipeline",
                        "acme.Missing",
                        "-cp",
                        classes.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err())
                .contains("--pipeline: cannot load pipeline acme.Missing from " + classes);
    }

    @Test
    void classInTheFileThatIsNotAPipeline_isAConfigErrorAtItsLine() throws IOException {
        Path file = spider("pipelines:\n  - acme.Upper\n  - acme.NotAPipeline\n");
        int line = Files.readAllLines(file).indexOf("  - acme.NotAPipeline") + 1;

        Run run = Run.of("crawl", file.toString(), "-cp", classes.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err())
                .contains(
                        file
                                + ":"
                                + line
                                + ":5: pipelines[1]: acme.NotAPipeline is not an item pipeline");
    }

    @Test
    void constructorThatThrows_isAConfigErrorWithItsMessage() throws IOException {
        Run run =
                Run.of(
                        "crawl",
                        spider("").toString(),
                        "--pipeline",
                        "acme.Broken",
                        "-cp",
                        classes.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err())
                .contains(
                        "--pipeline: cannot create pipeline acme.Broken:"
                                + " java.lang.IllegalStateException: no database configured");
    }

    @Test
    void nameThatIsNoClassName_isAProblemOfTheFile() throws IOException {
        Path file = spider("pipelines: ['acme.Not A Class']\n");

        Run run = Run.of("crawl", file.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err()).contains("pipelines[0]: 'acme.Not A Class' is not a Java class name");
    }
}
