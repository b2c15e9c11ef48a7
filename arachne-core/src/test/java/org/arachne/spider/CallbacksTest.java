package org.arachne.spider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;
import org.arachne.http.Response;
import org.junit.jupiter.api.Test;

class CallbacksTest {

    /** A spider whose parse is inherited, as in a family of spiders sharing a base class. */
    abstract static class BaseSpider implements Spider {
        @Override
        public void parse(Response response, Output out) {}
    }

    static final class BookSpider extends BaseSpider {
        @Override
        public String name() {
            return "books";
        }

        void parseBook(Response response, Output out) {}

        static void parseStatic(Response response, Output out) {}

        Callback own() {
            return this::parseBook;
        }

        Callback inherited() {
            return this::parse;
        }

        Callback helpers(Helper helper) {
            return helper::parse;
        }

        void onError(Failure failure, Output out) {}

        Errback errback() {
            return this::onError;
        }

        Callback capturing(String category) {
            return (response, out) -> out.count(category, 1);
        }
    }

    /** Not a spider: its methods cannot be found again by name on the spider. */
    static final class Helper {
        void parse(Response response, Output out) {}

        static void parseStatic(Response response, Output out) {}
    }

    private final BookSpider spider = new BookSpider();

    @Test
    void nameOf_methodOfTheSpider_isItsName() {
        assertThat(Callbacks.nameOf(spider.own(), spider)).isEqualTo("parseBook");
        assertThat(Callbacks.nameOf(spider.inherited(), spider)).isEqualTo("parse");
        assertThat(Callbacks.nameOf(BookSpider::parseStatic, spider)).isEqualTo("parseStatic");
        assertThat(Callbacks.nameOf(spider.callback("parseBook"), spider)).isEqualTo("parseBook");
        assertThat(Callbacks.nameOf(spider.callback("parse"), spider)).isEqualTo("parse");
        assertThat(Callbacks.nameOf(spider.own())).isEqualTo("parseBook");
    }

    @Test
    void nameOf_methodOfAnotherObject_isRefused_sayingToUseASpiderMethod() {
        Callback helpers = spider.helpers(new Helper());

        for (Throwable refusal :
                List.of(
                        catchThrowable(() -> Callbacks.nameOf(helpers, spider)),
                        catchThrowable(() -> Callbacks.nameOf(helpers)))) {
            assertThat(refusal)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is a method of a " + Helper.class.getName())
                    .hasMessageContaining("not of the crawl's spider")
                    .hasMessageContaining("this::parseBook");
        }
        assertThatThrownBy(() -> Callbacks.nameOf(Helper::parseStatic, spider))
                .hasMessageContaining("is a method of class " + Helper.class.getName());
        assertThatThrownBy(() -> Callbacks.nameOf(Helper::parseStatic))
                .hasMessageContaining("not of the crawl's spider");
    }

    @Test
    void nameOf_methodOfAnotherSpiderObject_isRefused_whenTheSpiderIsKnown() {
        BookSpider other = new BookSpider();

        assertThat(Callbacks.nameOf(other.own())).isEqualTo("parseBook");
        assertThatThrownBy(() -> Callbacks.nameOf(other.own(), spider))
                .hasMessageContaining("not of the crawl's spider");
        assertThatThrownBy(() -> Callbacks.nameOf(other.callback("parseBook"), spider))
                .hasMessageContaining("not of the crawl's spider");
    }

    @Test
    void nameOf_lambda_isRefused_sayingToCarryDataInMeta() {
        assertThatThrownBy(() -> Callbacks.nameOf(spider.capturing("fiction"), spider))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a method reference")
                .hasMessageContaining("carry data in meta");
        assertThatThrownBy(() -> Callbacks.nameOf((response, out) -> {}))
                .hasMessageContaining("is not a method reference");
    }

    @Test
    void errbackName_methodOfTheSpider_isItsName_andFoundAgainByIt() {
        assertThat(Callbacks.errbackName(spider.errback(), spider)).isEqualTo("onError");
        assertThat(Callbacks.errbackName(spider.errback())).isEqualTo("onError");
        assertThat(Callbacks.errbackName(spider.errback("onError"), spider)).isEqualTo("onError");
        assertThat(spider.errback("errback")).isNotNull();
        assertThat(spider.errback("parseBook")).isNull();
        assertThat(spider.errback("nothing")).isNull();
    }

    @Test
    void errbackName_lambdaOrMethodOfAnotherSpider_isRefused() {
        assertThatThrownBy(() -> Callbacks.errbackName((failure, out) -> {}, spider))
                .hasMessageContaining("is not a method reference");
        assertThatThrownBy(() -> Callbacks.errbackName(new BookSpider().errback(), spider))
                .hasMessageContaining("not of the crawl's spider");
    }
}
