package org.arachne.middleware;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.arachne.http.Body;
import org.arachne.http.Headers;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedirectPolicyTest {
    private static final String PAGE = "http://127.0.0.1/dir/page";
    private final RedirectPolicy policy =
            new RedirectPolicy(true, 20, true, Duration.ofSeconds(100));

    private static Response html(String head, String contentType, int status) {
        String html = "<html><head>" + head + "</head><body>hi</body></html>";
        return new Response(
                Request.get(PAGE),
                PAGE,
                status,
                Headers.of("Content-Type", contentType),
                Body.wrap(html.getBytes(StandardCharsets.UTF_8)),
                Duration.ZERO);
    }

    private static String refresh(String content) {
        return "<meta http-equiv=\"Refresh\" content=\"" + content + "\">";
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "0; url=/next | http://127.0.0.1/next",
                "5;URL=other | http://127.0.0.1/dir/other",
                "0, url=http://127.0.0.2/x | http://127.0.0.2/x",
                "1.5; url='/quoted' | http://127.0.0.1/quoted",
                "0;/bare | http://127.0.0.1/bare",
                "99 ; URL = /spaced | http://127.0.0.1/spaced",
            })
    void metaRefresh_isFollowedAsGetOnTheChain(String content, String target) {
        RedirectPolicy.Decision decision =
                policy.decide(html(refresh(content), "text/html; charset=utf-8", 200));

        assertThat(decision).isInstanceOf(RedirectPolicy.Follow.class);
        RedirectPolicy.Follow follow = (RedirectPolicy.Follow) decision;
        assertThat(follow.metaRefresh()).isTrue();
        assertThat(follow.request().url()).isEqualTo(target);
        assertThat(follow.request().method()).isEqualTo("GET");
        assertThat(follow.request().meta(RedirectPolicy.REDIRECT_URLS)).isEqualTo(List.of(PAGE));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "<meta http-equiv='refresh' content='5'> | text/html | 200",
                "<meta http-equiv='refresh' content='0; url='> | text/html | 200",
                "<meta http-equiv='refresh' content='100; url=/slow'> | text/html | 200",
                "<meta http-equiv='refresh' content='0; url=/x'> | text/plain | 200",
                "<meta http-equiv='refresh' content='0; url=/x'> | text/html | 404",
                "<noscript><meta http-equiv='refresh' content='0; url=/x'></noscript> | text/html | 200",
                "<meta name='refresh' content='0; url=/x'> | text/html | 200",
            })
    void metaRefresh_ignored(String head, String contentType, int status) {
        assertThat(policy.decide(html(head, contentType, status))).isNull();
    }

    @Test
    void metaRefresh_ignoredWhenDisabled() {
        RedirectPolicy disabled = new RedirectPolicy(true, 20, false, Duration.ofSeconds(100));

        assertThat(disabled.decide(html(refresh("0; url=/next"), "text/html", 200))).isNull();
    }

    @Test
    void metaRefreshToItself_isALoop() {
        RedirectPolicy.Decision decision =
                policy.decide(html(refresh("0; url=" + PAGE), "text/html", 200));

        assertThat(decision).isInstanceOf(RedirectPolicy.Stop.class);
        assertThat(((RedirectPolicy.Stop) decision).kind()).isEqualTo("loop");
    }

    @ParameterizedTest
    @CsvSource({
        "refresh, true",
        "REFRESH, true",
        "xx ReFrEsH, true",
        "rrefreshh, true",
        "refres, false",
        "refresx refres, false",
        "'', false",
        "abcdefghijklmnop refre sh, false",
        "prefix-text-then-Refresh, true"
    })
    void mentionsRefresh_findsTheWordInAnyCase(String text, boolean found) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        assertThat(RedirectPolicy.mentionsRefresh(bytes)).isEqualTo(found);
        // and at every offset inside a longer body
        for (int pad = 0; pad < 9; pad++) {
            byte[] padded =
                    ("0123456789".substring(0, pad) + text + "-tail")
                            .getBytes(StandardCharsets.ISO_8859_1);
            assertThat(RedirectPolicy.mentionsRefresh(padded)).as("pad " + pad).isEqualTo(found);
        }
    }

    // the stage

    private static Response redirect(int status, @Nullable String location) {
        return new Response(
                Request.get(PAGE),
                PAGE,
                status,
                location == null ? Headers.EMPTY : Headers.of("Location", location),
                Body.EMPTY,
                Duration.ZERO);
    }

    private static Outcome outcomeOf(StageResult<Response> result) {
        assertThat(result).isInstanceOf(StageResult.End.class);
        return ((StageResult.End<Response>) result).outcome();
    }

    @ParameterizedTest
    @CsvSource({
        "301, GET",
        "302, GET",
        "303, GET",
        "307, POST",
        "308, POST",
    })
    void onResponse_redirect_replacesTheRequestByItsTarget(int status, String method) {
        Response response =
                new Response(
                        Request.get(PAGE).withMethod("POST").withBody(Body.utf8("q=1")),
                        PAGE,
                        status,
                        Headers.of("Location", "/next"),
                        Body.EMPTY,
                        Duration.ZERO);

        Outcome outcome = outcomeOf(policy.onResponse(response, new RecordingSlot()));

        assertThat(outcome).isInstanceOf(Outcome.Replace.class);
        Outcome.Replace replace = (Outcome.Replace) outcome;
        assertThat(replace.request().url()).isEqualTo("http://127.0.0.1/next");
        assertThat(replace.request().method()).isEqualTo(method);
        assertThat(replace.request().meta(RedirectPolicy.REDIRECT_TIMES)).isEqualTo(1);
        assertThat(replace.reason()).isEqualTo("redirect to http://127.0.0.1/next");
        assertThat(replace.counters()).containsExactly("redirect/count");
    }

    @ParameterizedTest
    @CsvSource({
        // from, Location, the headers the redirected request keeps
        "http://a.test/p, /next, Authorization Cookie Referer X-Mine",
        "http://a.test/p, http://b.test/next, Referer X-Mine",
        "https://a.test/p, https://b.test/next, Referer X-Mine",
        "https://a.test/p, http://a.test/next, X-Mine",
    })
    void onResponse_redirect_dropsCredentialsOffHost_andTheRefererOnADowngrade(
            String from, String location, String kept) {
        Request request =
                Request.get(from)
                        .withHeaders(
                                Headers.of(
                                        "Authorization", "Basic c2VjcmV0",
                                        "Cookie", "session=1",
                                        "Referer", "https://a.test/list",
                                        "X-Mine", "1"));
        Response response =
                new Response(
                        request,
                        from,
                        302,
                        Headers.of("Location", location),
                        Body.EMPTY,
                        Duration.ZERO);

        Outcome.Replace replace =
                (Outcome.Replace) outcomeOf(policy.onResponse(response, new RecordingSlot()));

        Headers headers = replace.request().headers();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < headers.size(); i++) {
            names.add(headers.name(i));
        }
        assertThat(String.join(" ", names)).isEqualTo(kept);
    }

    @Test
    void onResponse_metaRefresh_countsItAsARedirectAndARefresh() {
        Outcome outcome =
                outcomeOf(
                        policy.onResponse(
                                html(refresh("0; url=/next"), "text/html", 200),
                                new RecordingSlot()));

        assertThat(outcome).isInstanceOf(Outcome.Replace.class);
        assertThat(((Outcome.Replace) outcome).request().url()).isEqualTo("http://127.0.0.1/next");
        assertThat(((Outcome.Replace) outcome).counters())
                .containsExactly("redirect/count", "redirect/meta_refresh");
    }

    @ParameterizedTest
    @CsvSource({
        // Location, redirect_max_times, why it stops
        "/dir/page, 20, loop",
        "http://127.0.0.1/dir/page#frag, 20, loop",
        "mailto:me@a.test, 20, bad_location",
        "ftp://127.0.0.1/file, 20, bad_location",
        // targets no request can be made of (#9)
        "http://, 20, bad_location",
        "'http://[::1', 20, bad_location",
        "http://[zz]/, 20, bad_location",
        "http://[::1/x, 20, bad_location",
        "/next, 0, max_times",
    })
    void onResponse_redirectNotFollowed_failsAsRedirectKind(
            String location, int maxTimes, String kind) {
        RedirectPolicy limited = new RedirectPolicy(true, maxTimes, true, Duration.ofSeconds(100));

        Outcome outcome =
                outcomeOf(limited.onResponse(redirect(302, location), new RecordingSlot()));

        assertThat(outcome).isInstanceOf(Outcome.Fail.class);
        Outcome.Fail fail = (Outcome.Fail) outcome;
        assertThat(fail.errorKind()).isEqualTo("redirect/" + kind);
        assertThat(fail.reason()).startsWith("not following the redirect of " + PAGE + ": ");
    }

    @ParameterizedTest
    @CsvSource({"http://[::1", "http://[zz]/", "http://"})
    void onResponse_metaRefreshToABadUrl_failsAsBadLocation(String target) {
        Outcome outcome =
                outcomeOf(
                        policy.onResponse(
                                html(refresh("0; url=" + target), "text/html", 200),
                                new RecordingSlot()));

        assertThat(outcome).isInstanceOf(Outcome.Fail.class);
        assertThat(((Outcome.Fail) outcome).errorKind()).isEqualTo("redirect/bad_location");
    }

    @Test
    void onResponse_badLocationWithControlCharacters_escapedInTheReason() {
        Outcome outcome =
                outcomeOf(
                        policy.onResponse(
                                redirect(302, "http://[\u001b[31m\r\nForged"),
                                new RecordingSlot()));

        assertThat(((Outcome.Fail) outcome).reason())
                .contains("'http://[\\u001b[31m\\r\\nForged'")
                .doesNotContain("\u001b", "\r", "\n");
    }

    @Test
    void onResponse_notARedirect_goesOn() {
        RedirectPolicy disabled = new RedirectPolicy(false, 20, false, Duration.ofSeconds(100));
        Response ok = html("", "text/html", 200);
        Response withoutLocation = redirect(302, null);
        Response notFollowed = redirect(302, "/next");

        assertThat(policy.onResponse(ok, new RecordingSlot())).isEqualTo(StageResult.next(ok));
        assertThat(policy.onResponse(withoutLocation, new RecordingSlot()))
                .isEqualTo(StageResult.next(withoutLocation));
        assertThat(disabled.onResponse(notFollowed, new RecordingSlot()))
                .isEqualTo(StageResult.next(notFollowed));
    }
}
