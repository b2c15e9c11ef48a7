package org.arachne.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FormsTest {
    private static final String PAGE = "http://shop.example/account/login?next=%2F";

    private static Response page(String html) {
        return page(html, "utf-8");
    }

    private static Response page(String html, String charset) {
        return new Response(
                Request.get(PAGE),
                PAGE,
                200,
                Headers.of("Content-Type", "text/html; charset=" + charset),
                Body.wrap(html.getBytes(Charset.forName(charset))),
                Duration.ZERO);
    }

    private static String body(Request request) {
        return request.body().decode(StandardCharsets.UTF_8);
    }

    @Test
    void fromResponse_loginFormKeepsHiddenTokenAndFillsFields() {
        Response response =
                page(
                        """
                        <form action="/session" method="post">
                          <input type="hidden" name="csrf" value="t0k3n">
                          <input name="username" value="">
                          <input type="password" name="password">
                          <input type="submit" name="go" value="Log in">
                        </form>""");

        Request request =
                Forms.fromResponse(
                        response, ordered("username", "alice", "password", "s3cret pass&"));

        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.url()).isEqualTo("http://shop.example/session");
        assertThat(request.headers().first("Content-Type"))
                .isEqualTo("application/x-www-form-urlencoded");
        assertThat(body(request))
                .isEqualTo("csrf=t0k3n&go=Log+in&username=alice&password=s3cret+pass%26");
    }

    @Test
    void fromResponse_keepsDefaultValuesOfEveryKindOfControl() {
        Response response =
                page(
                        """
                        <form method="POST">
                          <input name="q" value="poetry">
                          <input type="checkbox" name="tag" value="new" checked>
                          <input type="checkbox" name="tag" value="old">
                          <input type="checkbox" name="flag" checked>
                          <input type="radio" name="sort" value="price">
                          <input type="radio" name="sort" value="title" checked>
                          <select name="size"><option>10</option><option selected>50</option></select>
                          <select name="lang"><option value="en">English</option><option>fr</option></select>
                          <textarea name="note">two words</textarea>
                          <input name="off" value="x" disabled>
                          <input type="button" name="noise" value="y">
                          <input name="">
                        </form>""");

        Request request = Forms.fromResponse(response, Map.of());

        assertThat(body(request))
                .isEqualTo("q=poetry&tag=new&flag=on&sort=title&size=50&lang=en&note=two+words");
    }

    @Test
    void fromResponse_givenFieldReplacesEveryValueOfItsName() {
        Response response =
                page(
                        """
                        <form method="post">
                          <input type="checkbox" name="tag" value="a" checked>
                          <input type="checkbox" name="tag" value="b" checked>
                          <input name="keep" value="1">
                        </form>""");

        Request request = Forms.fromResponse(response, Map.of("tag", "c"));

        assertThat(body(request)).isEqualTo("keep=1&tag=c");
    }

    @Test
    void fromResponse_getFormPutsFieldsInTheQueryOfTheAction() {
        Response response =
                page(
                        """
                        <form action="search?old=1#top"><input name="q" value="a b"></form>""");

        Request request = Forms.fromResponse(response, Map.of());

        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.url()).isEqualTo("http://shop.example/account/search?q=a+b");
        assertThat(request.body().isEmpty()).isTrue();
    }

    @Test
    void fromResponse_noActionSubmitsToThePageItself() {
        Response response = page("<form method=post><input name=a value=1></form>");

        Request request = Forms.fromResponse(response, Map.of());

        assertThat(request.url()).isEqualTo(PAGE);
        assertThat(body(request)).isEqualTo("a=1");
    }

    @Test
    void fromResponse_actionResolvedAgainstBaseHref() {
        Response response =
                page(
                        "<head><base href='http://other.example/app/'></head>"
                                + "<form action=login method=post></form>");

        assertThat(Forms.fromResponse(response, Map.of()).url())
                .isEqualTo("http://other.example/app/login");
    }

    @Test
    void fromResponse_selectorPicksTheFormOrTheFormAroundTheElement() {
        Response response =
                page(
                        """
                        <form id="search" action="/search"><input name="q"></form>
                        <form id="login" action="/login" method="post">
                          <input name="user"><button name="how" value="pw">Go</button>
                        </form>""");

        Request byCss =
                Forms.fromResponse(response, response.css("form#login"), Map.of("user", "bo"));
        Request byButton =
                Forms.fromResponse(response, response.xpath("//button[@name='how']"), Map.of());

        assertThat(byCss.url()).isEqualTo("http://shop.example/login");
        assertThat(body(byCss)).isEqualTo("how=pw&user=bo");
        assertThat(byButton.url()).isEqualTo("http://shop.example/login");
    }

    @Test
    void fromResponse_onlyTheFirstSubmitButtonIsSent() {
        Response response =
                page(
                        """
                        <form method="post">
                          <input type="submit" name="action" value="save">
                          <input type="submit" name="action" value="delete">
                          <input name="x" value="1">
                        </form>""");

        assertThat(body(Forms.fromResponse(response, Map.of()))).isEqualTo("x=1&action=save");
    }

    @Test
    void fromResponse_postEncodesInThePageCharset() {
        Response response =
                page("<form method=post><input name=city value='Zürich'></form>", "iso-8859-1");

        assertThat(Forms.fromResponse(response, Map.of()).body().decode(StandardCharsets.US_ASCII))
                .isEqualTo("city=Z%FCrich");
    }

    @Test
    void fromResponse_noFormOnThePage() {
        Response response = page("<p>nothing to submit</p>");

        assertThatThrownBy(() -> Forms.fromResponse(response, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no form found on " + PAGE);
    }

    @Test
    void fromResponse_selectedElementOutsideAnyForm() {
        Response response = page("<p id=x>text</p><form></form>");

        assertThatThrownBy(() -> Forms.fromResponse(response, response.css("#x"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not in a form: <p>");
    }

    @Test
    void fromResponse_buttonsResetsFilesAndImagesAreNotSent() {
        Response response =
                page(
                        """
                        <form method=post>
                          <input type=reset name=r value=1><input type=file name=f>
                          <input type=image name=i src=x.png><input type=button name=b value=2>
                          <button type=button name=c value=3>no</button>
                          <input name=kept value=4>
                        </form>""");

        assertThat(body(Forms.fromResponse(response, Map.of()))).isEqualTo("kept=4");
    }

    @Test
    void fromResponse_actionThatIsNoUrl_isRefused() {
        Response response = page("<form action='javascript:void(0)'></form>");

        assertThatThrownBy(() -> Forms.fromResponse(response, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Map<String, String> ordered(String... namesAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return map;
    }
}
