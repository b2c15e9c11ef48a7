package org.arachne.spider.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PipelineClassTest {
    private static final String SPIDER = "name: shop\nstart_urls: ['http://a.test/']\n";

    @Test
    void parse_pipelines_keepTheirOrderAndWhereEachWasWritten() {
        String yaml = SPIDER + "pipelines:\n  - org.acme.Clean\n  - org.acme.Store$Rows\n";

        assertThat(YamlSpiders.parse(yaml, "shop.yaml").pipelines())
                .containsExactly(
                        new PipelineClass("org.acme.Clean", "shop.yaml:4:5: pipelines[0]"),
                        new PipelineClass("org.acme.Store$Rows", "shop.yaml:5:5: pipelines[1]"));
    }

    @Test
    void parse_noPipelines_isEmpty() {
        assertThat(YamlSpiders.parse(SPIDER, "shop.yaml").pipelines()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            pipelines: org.acme.Clean        | 3:12: pipelines: expected a list, got 'org.acme.Clean' (write [org.acme.Clean] for a list of one)
            pipelines: ['org.acme.']         | 3:13: pipelines[0]: 'org.acme.' is not a Java class name
            pipelines: [{class: a.B}]        | 3:13: pipelines[0]: expected a string, got a mapping
            """)
    void check_badPipelines_namesLineColumnAndTheProblem(String pipelines, String problem) {
        assertThat(YamlSpiders.check(SPIDER + pipelines + "\n", "shop.yaml"))
                .singleElement()
                .extracting(Problem::toString)
                .asString()
                .startsWith("shop.yaml:" + problem);
    }
}
