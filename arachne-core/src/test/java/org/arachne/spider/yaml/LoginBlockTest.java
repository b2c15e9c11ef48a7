package org.arachne.spider.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.arachne.http.Request;
import org.arachne.spider.Login;
import org.arachne.spider.LoginFailedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code login:} as the reader checks it, and the requests and checks of its {@link Login}. */
class LoginBlockTest {
    private static final String START = "name: shop\nstart_urls: ['http://shop.test/account/']\n";

    private static final String LOGIN =
            START
                    + """
                    login:
                      url: 'http://shop.test/login'
                      form: "//form[@id='login']"
                      fields:
                        user: bob
                        pass: {env: SHOP_PASSWORD}
                      success: {css: a.logout}
                      fail_if: {css: .error}
                    """;

    private static final String PAGE =
            """
            <form action="/search"><input name="q"></form>
            <form id="login" action="/session" method="post">
              <input type="hidden" name="token" value="t1"><input name="user"><input name="pass">
            </form>""";

    private static Login login(String yaml) {
        Login login =
                new DeclarativeSpider(
                                YamlSpiders.parse(
                                        yaml, "s.yaml", Map.of(), Map.of("SHOP_PASSWORD", "p w")))
                        .login();
        assertThat(login).isNotNull();
        return login;
    }

    @Test
    void login_fetchesThePageThenSubmitsTheChosenFormWithTheFields() {
        Login login = login(LOGIN);

        Request form = login.start();
        Request submit = login.next(TestResponses.html(form, PAGE), 1);

        assertThat(form.url()).isEqualTo("http://shop.test/login");
        assertThat(submit.method()).isEqualTo("POST");
        assertThat(submit.url()).isEqualTo("http://shop.test/session");
        assertThat(submit.body().decode(StandardCharsets.UTF_8))
                .isEqualTo("token=t1&user=bob&pass=p+w");
    }

    @Test
    void login_pageAfterwards_successOrFailure() {
        Login login = login(LOGIN);
        Request after = Request.get("http://shop.test/account/");

        assertThat(login.next(TestResponses.html(after, "<a class=logout>out</a>"), 2)).isNull();
        assertThatThrownBy(
                        () ->
                                login.next(
                                        TestResponses.html(
                                                after, "<a class=logout></a><p class=error>no</p>"),
                                        2))
                .isInstanceOf(LoginFailedException.class)
                .hasMessage(
                        "the page after logging in, http://shop.test/account/, matches fail_if (css"
                                + " .error): are the credentials right?");
        assertThatThrownBy(() -> login.next(TestResponses.html(after, "<p>hello</p>"), 2))
                .hasMessageContaining("does not match success (css a.logout)");
    }

    @Test
    void login_pageWithoutTheForm_failsNamingIt() {
        Login login = login(LOGIN);

        assertThatThrownBy(() -> login.next(TestResponses.html(login.start(), "<form></form>"), 1))
                .isInstanceOf(LoginFailedException.class)
                .hasMessage(
                        "no form matches xpath //form[@id='login'] on the login page"
                                + " http://shop.test/login");
    }

    @Test
    void definition_toString_showsNoFieldValue() {
        SpiderDefinition definition =
                YamlSpiders.parse(LOGIN, "s.yaml", Map.of(), Map.of("SHOP_PASSWORD", "hunter2"));

        assertThat(definition.toString())
                .contains("user=***", "pass=${env SHOP_PASSWORD}")
                .doesNotContain("hunter2", "bob");
    }

    @ParameterizedTest
    @CsvSource(
            delimiterString = " => ",
            value = {
                "url: 'http://shop.test/login'\\n  fields: {user: a}"
                        + " => s.yaml:4:3: login.success: missing; give success",
                "url: 'http://shop.test/login'\\n  fields: {pass: {env: NOPE_UNSET}}\\n  success: a"
                        + " => s.yaml:5:24: login.fields.pass.env: the environment variable NOPE_UNSET"
                        + " is not set",
                "url: 'http://shop.test/login'\\n  fields: {pass: {envv: X}}\\n  success: a"
                        + " => s.yaml:5:19: login.fields.pass.envv: unknown key 'envv'",
                "url: 'http://shop.test/login'\\n  fields: {}\\n  success: {css: 'a[', xpath: b}"
                        + " => s.yaml:6:12: login.success: give one of xpath or css",
                "url: 'http://shop.test/login'\\n  fields: {}\\n  fail_if: '//p['"
                        + " => s.yaml:6:12: login.fail_if: invalid XPath",
                "fields: {}\\n  success: a" + " => s.yaml:4:3: login.url: missing",
                "url: 'http://shop.test/login'\\n  success: a\\n  fieldz: {}"
                        + " => s.yaml:6:3: login.fieldz: unknown key 'fieldz'; did you mean 'fields'?",
            })
    void mistakes_areReportedAtTheirLine(String block, String expected) {
        // CsvSource trims each value: the first line's indentation is added here
        String yaml = START + "login:\n  " + block.replace("\\n", "\n") + "\n";

        List<Problem> problems = YamlSpiders.check(yaml, "s.yaml", Map.of(), Map.of());

        assertThat(problems)
                .extracting(Problem::toString)
                .anySatisfy(p -> assertThat(p).startsWith(expected));
    }
}
