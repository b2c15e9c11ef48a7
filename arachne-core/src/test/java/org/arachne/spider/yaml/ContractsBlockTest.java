package org.arachne.spider.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.arachne.spider.contract.Bounds;
import org.arachne.spider.contract.SpiderContract;
import org.junit.jupiter.api.Test;

/** The {@code contracts:} blocks of a spider file: what they read as, and their problems. */
class ContractsBlockTest {
    private static final String SPIDER =
            """
            name: shop
            arguments: {host: ~}
            start_urls: ['http://${host}/']
            items:
              - each: "//article"
                fields:
                  title: h3/a/@title
                  price: p/text()
              - name: book
                fields:
                  name: //h1/text()
                contracts:
                  - url: 'http://${host}/book-1.html'
                    items: 1
                    scrapes: [name]
            contracts:
              - url: 'http://${host}/'
                items: {min: 1, max: 20}
                scrapes: [title, price]
                requests: {min: 1, pattern: '/book-\\d+'}
              - url: 'http://${host}/book-2.html'
                callback: book
                requests: 0
                meta: {listed_price: '12.50', tags: [a, b]}
            """;

    /** The arguments for a file: {@code host} when it declares it. */
    private static Map<String, String> arguments(String yaml) {
        return yaml.contains("arguments:") ? Map.of("host", "127.0.0.11:8321") : Map.of();
    }

    private static List<SpiderContract> contracts(String yaml) {
        return SpiderFileReader.contracts(yaml, "shop.yaml", arguments(yaml));
    }

    private static List<String> problems(String yaml) {
        return YamlSpiders.check(yaml, "shop.yaml", arguments(yaml)).stream()
                .map(Problem::toString)
                .toList();
    }

    @Test
    void contracts_ofTheSpiderAndOfItemBlocks_inFileOrder_withArgumentsSubstituted() {
        assertThat(contracts(SPIDER))
                .containsExactly(
                        new SpiderContract(
                                "book",
                                "http://127.0.0.11:8321/book-1.html",
                                "book",
                                Bounds.exactly(1),
                                List.of("name"),
                                null,
                                null,
                                Map.of()),
                        new SpiderContract(
                                "parse",
                                "http://127.0.0.11:8321/",
                                "parse",
                                new Bounds(1, 20),
                                List.of("title", "price"),
                                Bounds.atLeast(1),
                                "/book-\\d+",
                                Map.of()),
                        new SpiderContract(
                                "book",
                                "http://127.0.0.11:8321/book-2.html",
                                "book",
                                null,
                                List.of(),
                                Bounds.exactly(0),
                                null,
                                Map.of("listed_price", "12.50", "tags", List.of("a", "b"))));
        assertThat(problems(SPIDER)).isEmpty();
    }

    @Test
    void contracts_ofABlockWithoutName_runParse_andAreNamedByTheBlocksPath() {
        String yaml =
                """
                name: shop
                start_urls: ['http://127.0.0.11/']
                items:
                  - fields: {title: //title/text()}
                    contracts: [{url: 'http://127.0.0.11/', scrapes: [title]}]
                """;

        assertThat(contracts(yaml))
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(c.name()).isEqualTo("items[0]");
                            assertThat(c.callback()).isEqualTo("parse");
                        });
    }

    @Test
    void contracts_noneInTheFile_isEmpty() {
        assertThat(contracts("name: shop\nstart_urls: ['http://127.0.0.11/']\n")).isEmpty();
    }

    @Test
    void contracts_badBlock_reportsEveryProblemAtItsLineAndColumn() {
        String yaml =
                """
                name: shop
                start_urls: ['http://127.0.0.11/']
                items:
                  - name: book
                    fields: {title: //h1/text()}
                    contracts:
                      - url: 'http://127.0.0.11/b'
                        callback: parse
                      - url: 'http://127.0.0.11/c'
                        scrapes: [titel]
                contracts:
                  - items: 3
                  - url: 'not a url'
                    items: {min: 5, max: 2}
                  - url: 'http://127.0.0.11/'
                    callback: bok
                  - url: 'http://127.0.0.11/'
                    items: -1
                    requests: {min: 1, pattern: '(', most: 3}
                    scraps: [title]
                    meta: {retry_times: '3'}
                """;

        assertThat(problems(yaml))
                .containsExactly(
                        "shop.yaml:7:9: items[0].contracts[0].callback: an item block's contract"
                                + " runs that block; a contract for another callback goes in the"
                                + " spider's contracts:",
                        "shop.yaml:10:19: items[0].contracts[1].scrapes[0]: 'titel' is no field"
                                + " of the items checked; did you mean 'title'?",
                        "shop.yaml:12:5: contracts[0].url: missing; give the URL of a page to"
                                + " check",
                        "shop.yaml:13:10: contracts[1].url: " + problemOfUrl("not a url"),
                        "shop.yaml:14:26: contracts[1].items.max: is less than min (2 < 5)",
                        "shop.yaml:16:15: contracts[2].callback: unknown callback 'bok'; give"
                                + " parse, parseLeaf or the name of an item block; did you mean"
                                + " 'book'?",
                        "shop.yaml:18:12: contracts[3].items: expected a whole number, 0 or"
                                + " more, got '-1'",
                        "shop.yaml:19:33: contracts[3].requests.pattern: invalid regex '(':"
                                + " Unclosed group at index 1",
                        "shop.yaml:19:38: contracts[3].requests.most: unknown key 'most';"
                                + " expected one of min, max, pattern",
                        "shop.yaml:20:5: contracts[3].scraps: unknown key 'scraps'; did you"
                                + " mean 'scrapes'?",
                        "shop.yaml:21:12: contracts[3].meta.retry_times: 'retry_times' is a meta"
                                + " key the crawl itself reads; use another name");
        assertThatThrownBy(() -> contracts(yaml)).isInstanceOf(SpiderFileException.class);
    }

    private static String problemOfUrl(String url) {
        try {
            org.arachne.http.Request.get(url);
            return "";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }
}
