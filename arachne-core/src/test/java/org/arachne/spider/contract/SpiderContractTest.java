package org.arachne.spider.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.arachne.engine.CallbackTrial;
import org.arachne.http.Request;
import org.arachne.item.Item;
import org.junit.jupiter.api.Test;

class SpiderContractTest {
    private static final String URL = "http://127.0.0.11/";

    private static SpiderContract contract(
            Bounds items, List<String> scrapes, Bounds requests, String pattern) {
        return new SpiderContract(
                "listing", URL, "parse", items, scrapes, requests, pattern, Map.of());
    }

    private static CallbackTrial.Result result(
            List<Item> items, List<String> requestUrls, Throwable failure) {
        List<Request> requests = new ArrayList<>();
        requestUrls.forEach(u -> requests.add(Request.get(u)));
        return new CallbackTrial.Result("parse", items, requests, Map.of(), failure);
    }

    @Test
    void differences_allAsExpected_isEmpty() {
        SpiderContract contract =
                contract(new Bounds(1, 2), List.of("title"), Bounds.atLeast(1), "/book-");

        assertThat(
                        contract.differences(
                                result(
                                        List.of(Item.of("title", "A"), Item.of("title", "B")),
                                        List.of(URL + "book-1", URL + "about"),
                                        null)))
                .isEmpty();
    }

    @Test
    void differences_itemCounts_sayWhatWasExpectedAndGot() {
        CallbackTrial.Result none = result(List.of(), List.of(), null);
        CallbackTrial.Result three =
                result(List.of(Item.of("a", 1), Item.of("a", 2), Item.of("a", 3)), List.of(), null);

        assertThat(contract(Bounds.atLeast(1), List.of(), null, null).differences(none))
                .containsExactly("expected at least 1 item, got 0");
        assertThat(contract(Bounds.exactly(10), List.of(), null, null).differences(three))
                .containsExactly("expected 10 items, got 3");
        assertThat(contract(new Bounds(0, 2), List.of(), null, null).differences(three))
                .containsExactly("expected at most 2 items, got 3");
        assertThat(contract(new Bounds(5, 20), List.of(), null, null).differences(three))
                .containsExactly("expected 5 to 20 items, got 3");
    }

    @Test
    void differences_emptyFields_countedPerField() {
        List<Item> items =
                List.of(
                        Item.of("title", "A", "price", "£1"),
                        Item.of("title", " ", "price", List.of()),
                        Item.of("price", "£3"),
                        new Item(new java.util.HashMap<>(Map.of("title", "D")))
                                .with("price", null));

        assertThat(
                        contract(null, List.of("title", "price"), null, null)
                                .differences(result(items, List.of(), null)))
                .containsExactly(
                        "field title empty in 2 of 4 items", "field price empty in 2 of 4 items");
    }

    @Test
    void differences_fieldsButNoItemAndNoCount_saySo() {
        assertThat(
                        contract(null, List.of("title", "price"), null, null)
                                .differences(result(List.of(), List.of(), null)))
                .containsExactly("expected items with title, price, got no item");
    }

    @Test
    void differences_requests_countOnlyThoseMatchingThePattern() {
        CallbackTrial.Result result =
                result(List.of(), List.of(URL + "about", URL + "contact"), null);

        assertThat(contract(null, List.of(), Bounds.atLeast(1), "/book-").differences(result))
                .containsExactly(
                        "expected at least 1 request matching '/book-' (of 2 in all), got 0");
        assertThat(contract(null, List.of(), Bounds.exactly(0), null).differences(result))
                .containsExactly("expected 0 requests, got 2");
    }

    @Test
    void differences_callbackFailed_saysWhatItThrew_andChecksWhatItGaveBefore() {
        CallbackTrial.Result result =
                result(List.of(), List.of(), new IllegalStateException("no price"));

        assertThat(contract(Bounds.atLeast(1), List.of(), null, null).differences(result))
                .containsExactly(
                        "callback failed: java.lang.IllegalStateException: no price",
                        "expected at least 1 item, got 0");
    }

    @Test
    void request_goesToTheCallback_withTheMeta() {
        SpiderContract contract =
                new SpiderContract(
                        "book", URL, "book", null, List.of(), null, null, Map.of("price", "12"));

        assertThat(contract.request().callback()).isEqualTo("book");
        assertThat(contract.request().meta()).isEqualTo(Map.of("price", "12"));
    }

    @Test
    void contract_badUrlOrPattern_isRefused() {
        assertThatThrownBy(() -> contract(null, List.of(), null, "("))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () ->
                                new SpiderContract(
                                        "x",
                                        "ftp://x/",
                                        "parse",
                                        null,
                                        List.of(),
                                        null,
                                        null,
                                        Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Bounds(3, 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
