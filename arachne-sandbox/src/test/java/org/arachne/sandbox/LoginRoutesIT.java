package org.arachne.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.arachne.sandbox.route.LoginRoute;
import org.arachne.sandbox.route.Sessions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoginRoutesIT {
    private static final Pattern TOKEN = Pattern.compile("name=\"csrf_token\" value=\"(\\w+)\"");

    private Sandbox sandbox;

    @BeforeEach
    void setUp() throws Exception {
        sandbox = Sandbox.shared();
        sandbox.reset();
    }

    private HttpResponse<String> post(String path, String contentType, String body)
            throws Exception {
        HttpRequest request =
                HttpRequest.newBuilder(sandbox.uri(path))
                        .timeout(Duration.ofSeconds(20))
                        .header("Content-Type", contentType)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
        return TestHttp.CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private String token() {
        Matcher m = TOKEN.matcher(TestHttp.text(sandbox.uri("/login")));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private HttpResponse<String> login(String token, String password) throws Exception {
        return post(
                "/login",
                "application/x-www-form-urlencoded",
                "csrf_token=" + token + "&username=alice&password=" + password);
    }

    @Test
    void account_withoutSession_redirectsToLogin() throws Exception {
        HttpResponse<byte[]> response = TestHttp.get(sandbox.uri("/account/orders/2"));

        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location"))
                .contains("/login?next=/account/orders/2");
    }

    @Test
    void login_goodCredentials_setSessionCookieThatOpensTheAccount() throws Exception {
        HttpResponse<String> login = login(token(), LoginRoute.PASSWORD);

        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location")).contains("/account/");
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        assertThat(cookie).startsWith(Sessions.COOKIE + "=");
        HttpResponse<byte[]> order =
                TestHttp.get(sandbox.uri("/account/orders/3"), "Cookie", cookie);
        assertThat(order.statusCode()).isEqualTo(200);
        assertThat(new String(order.body(), StandardCharsets.UTF_8))
                .contains("<h1>Order 3</h1>", "class=\"status\">shipped<");
    }

    @Test
    void login_wrongPassword_answersTheFormWithAnError() throws Exception {
        HttpResponse<String> login = login(token(), "guess");

        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(login.body()).contains("<p class=\"error\">", "form id=\"login\"");
    }

    @Test
    void login_tokenUsedTwiceOrMissing_isForbidden() throws Exception {
        String token = token();
        login(token, LoginRoute.PASSWORD);

        assertThat(login(token, LoginRoute.PASSWORD).statusCode()).isEqualTo(403);
        assertThat(login("", LoginRoute.PASSWORD).statusCode()).isEqualTo(403);
    }

    @Test
    void search_postedJson_answersTheMatchingBooks() throws Exception {
        HttpResponse<String> response = post("/api/search", "application/json", "{\"q\":\"SALT\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .startsWith("{\"q\":\"SALT\",\"count\":5,\"results\":[{\"id\":1,")
                .contains("\"title\":\"The Salt Orchard (10)\"");
    }

    @Test
    void search_getOrFormBody_isRefused() throws Exception {
        HttpResponse<byte[]> get = TestHttp.get(sandbox.uri("/api/search"));
        HttpResponse<String> form = post("/api/search", "application/x-www-form-urlencoded", "q=a");

        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(form.statusCode()).isEqualTo(415);
    }

    @Test
    void echoRequest_answersMethodHeadersAndBody() throws Exception {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(sandbox.uri("/echo/request?a=1").toString()))
                        .header("X-Token", "t")
                        .method("PUT", HttpRequest.BodyPublishers.ofString("é"))
                        .build();

        String body = TestHttp.CLIENT.send(request, HttpResponse.BodyHandlers.ofString()).body();

        assertThat(body)
                .startsWith("{\"method\":\"PUT\",\"query\":\"a=1\",\"headers\":{")
                .contains("\"x-token\":\"t\"")
                .endsWith("\"body\":\"é\"}");
    }
}
