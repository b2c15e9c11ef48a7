package org.arachne.spider.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every YAML example of {@code examples/README.md} is valid as written: a whole spider as it is, a
 * fragment ({@code rules:}, {@code fields:}, ...) inside the smallest spider around it.
 */
class ExamplesReadmeTest {
    private static final Path README = Path.of("..", "examples", "README.md");
    private static final Pattern YAML_BLOCK = Pattern.compile("(?s)```yaml\n(.*?)```");
    private static final Pattern ENV_FIELD = Pattern.compile("\\{env: (\\w+)}");
    private static final Pattern REQUIRED_ARGUMENT = Pattern.compile("(?m)^  (\\w+): ~");
    private static final String SPIDER = "name: readme\nstart_urls: [http://127.0.0.11:8321/]\n";

    static Stream<String> yamlExamples() throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        List<String> blocks = new ArrayList<>();
        Matcher m = YAML_BLOCK.matcher(readme);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        assertThat(blocks).isNotEmpty();
        return blocks.stream();
    }

    @ParameterizedTest
    @MethodSource("yamlExamples")
    void check_readmeExample_hasNoProblem(String example) {
        String spider = asSpider(example);

        assertThat(
                        YamlSpiders.check(
                                spider,
                                "README.md",
                                requiredArguments(spider),
                                environmentVariables(spider)))
                .as("%s", spider)
                .isEmpty();
    }

    /** A value for each argument the example declares without a default ({@code key: ~}). */
    private static Map<String, String> requiredArguments(String spider) {
        Map<String, String> arguments = new HashMap<>();
        Matcher m = REQUIRED_ARGUMENT.matcher(spider);
        while (m.find()) {
            arguments.put(m.group(1), "127.0.0.11");
        }
        return arguments;
    }

    /** A value for each environment variable a login field names ({@code {env: NAME}}). */
    private static Map<String, String> environmentVariables(String spider) {
        Map<String, String> environment = new HashMap<>();
        Matcher m = ENV_FIELD.matcher(spider);
        while (m.find()) {
            environment.put(m.group(1), "secret");
        }
        return environment;
    }

    private static String asSpider(String example) {
        if (example.startsWith("name:")) {
            return example;
        }
        if (example.startsWith("fields:")) {
            return SPIDER + "items:\n  - " + example.strip().replace("\n", "\n    ") + "\n";
        }
        return SPIDER + example;
    }
}
