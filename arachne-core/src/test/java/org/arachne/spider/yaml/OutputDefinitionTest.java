package org.arachne.spider.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OutputDefinitionTest {
    private static final String SPIDER = "name: shop\nstart_urls: ['http://a.test/']\n";

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            output: books.jsonl                                 | books.jsonl      | false
            output: {path: out/books.csv}                       | out/books.csv    | false
            output: {path: books.json, overwrite: true}         | books.json       | true
            output: {path: /tmp/books.jsonl, overwrite: false}  | /tmp/books.jsonl | false
            """)
    void parse_output_saysTheFileAndWhetherItIsOverwritten(
            String output, String path, boolean overwrite) {
        assertThat(YamlSpiders.parse(SPIDER + output + "\n", "shop.yaml").output())
                .isEqualTo(new OutputDefinition(path, overwrite));
    }

    @Test
    void parse_outputPath_takesArguments() {
        String yaml =
                "name: shop\narguments: {category: travel}\nstart_urls: ['http://a.test/']\n"
                        + "output: {path: '${category}.csv', overwrite: true}\n";

        assertThat(YamlSpiders.parse(yaml, "shop.yaml", Map.of("category", "poetry")).output())
                .isEqualTo(new OutputDefinition("poetry.csv", true));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            output: {path: books.txt}                 | 3:16: output.path: cannot tell the output format of 'books.txt'
            output: {overwrite: true}                 | 3:9: output.path: missing; give the file, such as books.jsonl
            output: {path: a.jsonl, overwrite: often} | 3:36: output.overwrite: expected true or false, got 'often'
            output: {path: a.jsonl, mode: append}     | 3:25: output.mode: unknown key 'mode'; expected one of path, overwrite
            """)
    void check_badOutput_namesLineColumnAndTheProblem(String output, String problem) {
        assertThat(YamlSpiders.check(SPIDER + output + "\n", "shop.yaml"))
                .singleElement()
                .extracting(Problem::toString)
                .asString()
                .startsWith("shop.yaml:" + problem);
    }
}
