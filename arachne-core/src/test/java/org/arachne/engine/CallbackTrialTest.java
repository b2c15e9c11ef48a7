package org.arachne.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import org.arachne.http.Request;
import org.arachne.http.Response;
import org.arachne.item.Item;
import org.arachne.spider.Output;
import org.arachne.spider.Spider;
import org.junit.jupiter.api.Test;

class CallbackTrialTest {

    static final class ListSpider implements Spider {
        @Override
        public String name() {
            return "list";
        }

        @Override
        public void parse(Response response, Output out) {
            for (String title : response.xpath("//li/a/text()").getAll()) {
                out.item(Item.of(java.util.Map.of("title", title)));
            }
            for (String href : response.xpath("//li/a/@href").getAll()) {
                out.follow(href, this::parseBook);
            }
        }

        void parseBook(Response response, Output out) {
            out.item(Item.of(java.util.Map.of("url", response.url())));
            throw new IllegalStateException("half-way");
        }
    }

    private final ListSpider spider = new ListSpider();
    private final Response list =
            FakeWeb.html(
                    Request.get("http://a.test/list/").withDepth(1),
                    200,
                    "<ul><li><a href='b1'>One</a><li><a href='mailto:x@a.test'>Two</a></ul>");

    @Test
    void run_theRequestsCallback_keepsItemsRequestsAndCounts() {
        CallbackTrial.Result result = CallbackTrial.run(spider, list);

        assertThat(result.succeeded()).isTrue();
        assertThat(result.callback()).isEqualTo("parse");
        assertThat(result.items()).extracting(i -> i.get("title")).containsExactly("One", "Two");
        assertThat(result.requests())
                .extracting(Request::url, Request::callbackName, Request::depth)
                .containsExactly(tuple("http://a.test/list/b1", "parseBook", 2));
        assertThat(result.counts()).containsEntry(StatKeys.linkSkipped("not_http"), 1L);
    }

    @Test
    void run_aCallbackThatThrows_keepsWhatItEmittedAndTheFailure() {
        CallbackTrial.Result result = CallbackTrial.run(spider, list, "parseBook");

        assertThat(result.failure()).isInstanceOf(IllegalStateException.class);
        assertThat(result.items()).hasSize(1);
    }

    @Test
    void run_aCallbackTheSpiderLacks_failsNamingIt() {
        CallbackTrial.Result result = CallbackTrial.run(spider, list, "parseAuthor");

        assertThat(result.succeeded()).isFalse();
        assertThat(result.failure()).hasMessageContaining("no callback 'parseAuthor'");
        assertThat(result.items()).isEmpty();
    }
}
