package org.arachne.spider.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.arachne.http.Response;
import org.arachne.spider.Output;
import org.arachne.spider.Spider;
import org.junit.jupiter.api.Test;

class ContractsTest {

    static class AnnotatedSpider implements Spider {
        @Override
        public String name() {
            return "annotated";
        }

        @Override
        @Contract(
                url = "http://127.0.0.11/",
                items = @Range(min = 1),
                scrapes = {"title"},
                requests = @Range(min = 1, max = 50),
                requestPattern = "/book-")
        public void parse(Response response, Output out) {}

        @Contract(url = "http://127.0.0.11/book-1", items = @Range(min = 1, max = 1))
        @Contract(url = "http://127.0.0.11/book-2", meta = "{\"listed\": \"12.50\", \"n\": 3}")
        void parseBook(Response response, Output out) {}

        void helper() {}
    }

    static class NotACallback extends AnnotatedSpider {
        @Contract(url = "http://127.0.0.11/")
        void parseWrong(Response response) {}
    }

    static class BadUrl extends AnnotatedSpider {
        @Contract(url = "/relative")
        void parseRelative(Response response, Output out) {}
    }

    @Test
    void of_annotatedCallbacks_giveOneContractEach() {
        assertThat(Contracts.of(AnnotatedSpider.class))
                .containsExactly(
                        new SpiderContract(
                                "parse",
                                "http://127.0.0.11/",
                                "parse",
                                Bounds.atLeast(1),
                                List.of("title"),
                                new Bounds(1, 50),
                                "/book-",
                                Map.of()),
                        new SpiderContract(
                                "parseBook",
                                "http://127.0.0.11/book-1",
                                "parseBook",
                                Bounds.exactly(1),
                                List.of(),
                                null,
                                null,
                                Map.of()),
                        new SpiderContract(
                                "parseBook",
                                "http://127.0.0.11/book-2",
                                "parseBook",
                                null,
                                List.of(),
                                null,
                                null,
                                Map.of("listed", "12.50", "n", 3)));
    }

    @Test
    void of_noAnnotation_isEmpty() {
        class Plain implements Spider {
            @Override
            public String name() {
                return "plain";
            }

            @Override
            public void parse(Response response, Output out) {}
        }
        assertThat(Contracts.of(Plain.class)).isEmpty();
    }

    @Test
    void of_contractOnAMethodThatIsNoCallback_namesTheMethod() {
        assertThatThrownBy(() -> Contracts.of(NotACallback.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NotACallback.parseWrong: not a callback");
    }

    static class BadMeta extends AnnotatedSpider {
        @Contract(url = "http://127.0.0.11/", meta = "[1]")
        void parseMeta(Response response, Output out) {}
    }

    @Test
    void of_metaThatIsNoJsonObject_namesTheMethod() {
        assertThatThrownBy(() -> Contracts.of(BadMeta.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BadMeta.parseMeta: meta is no JSON object");
    }

    @Test
    void of_badUrl_namesTheMethod() {
        assertThatThrownBy(() -> Contracts.of(BadUrl.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("@Contract on ")
                .hasMessageContaining("BadUrl.parseRelative: ");
    }
}
