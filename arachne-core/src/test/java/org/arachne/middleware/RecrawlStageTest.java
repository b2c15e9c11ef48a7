package org.arachne.middleware;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.arachne.frontier.FetchedPage;
import org.arachne.frontier.PageRecord;
import org.arachne.http.Body;
import org.arachne.http.Headers;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The conditional requests of a recrawl, and what its responses mean. */
class RecrawlStageTest {
    private static final Instant FETCHED = Instant.parse("2026-01-01T00:00:00Z");
    private static final String LAST_MODIFIED = "Wed, 01 Jan 2025 12:00:00 GMT";
    private static final Body OLD_BODY = Body.utf8("<html>old</html>");

    private final RecordingSlot slot = new RecordingSlot();
    private final RecrawlStage changedOnly = new RecrawlStage(false);
    private final RecrawlStage everyPage = new RecrawlStage(true);

    private static Request recrawled(String etag, String lastModified) {
        PageRecord record =
                new PageRecord(FETCHED, etag, lastModified, FetchedPage.contentHash(OLD_BODY));
        return Request.get("http://a.test/p").withMeta(PageRecord.META, record.toMeta());
    }

    private static Response response(Request request, int status, Body body, String... headers) {
        return new Response(
                request, request.url(), status, Headers.of(headers), body, Duration.ZERO);
    }

    private static Request sent(StageResult<Request> result) {
        assertThat(result).isInstanceOf(StageResult.Next.class);
        return ((StageResult.Next<Request>) result).value();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            nullValues = "-",
            value = {
                // kept ETag | kept Last-Modified | If-None-Match | If-Modified-Since
                "\"v1\"   | -                             | \"v1\"   | -",
                "W/\"v1\" | Wed, 01 Jan 2025 12:00:00 GMT | W/\"v1\" | Wed, 01 Jan 2025 12:00:00 GMT",
                "-        | Wed, 01 Jan 2025 12:00:00 GMT | -        | Wed, 01 Jan 2025 12:00:00 GMT",
                "-        | -                             | -        | -",
            })
    void onRequest_asksWithTheKeptValidators(
            String etag, String lastModified, String ifNoneMatch, String ifModifiedSince) {
        Request request = sent(changedOnly.onRequest(recrawled(etag, lastModified), slot));
        assertThat(request.headers().first("If-None-Match")).isEqualTo(ifNoneMatch);
        assertThat(request.headers().first("If-Modified-Since")).isEqualTo(ifModifiedSince);
    }

    @Test
    void onRequest_keepsConditionsTheRequestSetItself() {
        Request own = recrawled("\"v1\"", LAST_MODIFIED).withHeader("If-None-Match", "\"mine\"");
        assertThat(sent(changedOnly.onRequest(own, slot)).headers().all("If-None-Match"))
                .containsExactly("\"mine\"");
    }

    @Test
    void onRequest_ofARequestThatIsNoRecrawl_orWithEveryPage_asksNothing() {
        Request plain = Request.get("http://a.test/p");
        assertThat(changedOnly.onRequest(plain, slot)).isEqualTo(StageResult.next(plain));
        Request recrawl = recrawled("\"v1\"", LAST_MODIFIED);
        assertThat(everyPage.onRequest(recrawl, slot)).isEqualTo(StageResult.next(recrawl));
    }

    @Test
    void notModified_endsTheLeaseAsDone_countedAndNoError() {
        Response notModified = response(recrawled("\"v1\"", null), 304, Body.EMPTY);
        StageResult<Response> result = changedOnly.onResponse(notModified, slot);
        assertThat(result)
                .isEqualTo(
                        StageResult.end(
                                new Outcome.Drop(
                                        "not modified since " + FETCHED,
                                        List.of(RecrawlStage.NOT_MODIFIED))));
    }

    @Test
    void sameBodyAgain_isUnchanged_andGoesNoFurther() {
        Response same = response(recrawled(null, null), 200, OLD_BODY);
        assertThat(changedOnly.onResponse(same, slot))
                .isEqualTo(
                        StageResult.end(
                                new Outcome.Drop(
                                        "the same body as on " + FETCHED,
                                        List.of(RecrawlStage.UNCHANGED))));
    }

    @Test
    void changedBody_goesOnToTheCallback_countedChanged() {
        Response changed = response(recrawled("\"v1\"", null), 200, Body.utf8("<html>new</html>"));
        assertThat(changedOnly.onResponse(changed, slot))
                .isEqualTo(StageResult.next(changed, List.of(RecrawlStage.CHANGED)));
    }

    @Test
    void everyPage_letsUnchangedPagesGoOn_countedUnchanged() {
        Response same = response(recrawled("\"v1\"", null), 200, OLD_BODY);
        assertThat(everyPage.onResponse(same, slot))
                .isEqualTo(StageResult.next(same, List.of(RecrawlStage.UNCHANGED)));
    }

    @Test
    void errorsAndPagesThatAreNoRecrawl_goOnUntouched() {
        Response gone = response(recrawled("\"v1\"", null), 404, Body.utf8("gone"));
        assertThat(changedOnly.onResponse(gone, slot)).isEqualTo(StageResult.next(gone));
        Response plain304 = response(Request.get("http://a.test/p"), 304, Body.EMPTY);
        assertThat(changedOnly.onResponse(plain304, slot)).isEqualTo(StageResult.next(plain304));
    }

    @Test
    void fetchedPage_ofA2xx_keepsValidatorsAndBody_andTheRequestWithoutWhatItsFetchCounted() {
        Request leased =
                recrawled("\"v1\"", LAST_MODIFIED)
                        .withMeta(RetryPolicy.RETRY_TIMES, 2)
                        .withMeta(RedirectPolicy.REDIRECT_TIMES, 1)
                        .withMeta(RedirectPolicy.REDIRECT_URLS, List.of("http://a.test/old"))
                        .withMeta("mine", "kept");
        Body body = Body.utf8("<html>new</html>");
        FetchedPage page =
                RecrawlStage.fetchedPage(
                        leased,
                        response(leased, 200, body, "ETag", "\"v2\"", "Last-Modified", "x"));

        assertThat(page)
                .isEqualTo(
                        new FetchedPage(
                                Request.get("http://a.test/p").withMeta("mine", "kept"),
                                "\"v2\"",
                                "x",
                                body));
        assertThat(page.contentHash()).isEqualTo(FetchedPage.contentHash(body)).hasSize(32);
    }

    @Test
    void fetchedPage_ofARecrawls304_isRevalidated_andOfOthersNone() {
        Request leased = recrawled("\"v1\"", null);
        FetchedPage revalidated =
                RecrawlStage.fetchedPage(leased, response(leased, 304, Body.EMPTY));
        assertThat(revalidated.revalidated()).isTrue();
        assertThat(revalidated.contentHash()).isNull();

        Request plain = Request.get("http://a.test/p");
        assertThat(RecrawlStage.fetchedPage(plain, response(plain, 304, Body.EMPTY))).isNull();
        assertThat(RecrawlStage.fetchedPage(plain, response(plain, 404, Body.EMPTY))).isNull();
        assertThat(RecrawlStage.fetchedPage(plain, response(plain, 301, Body.EMPTY))).isNull();
        Request robots =
                Request.get("http://a.test/robots.txt").withMeta(RobotsStage.ORIGIN_META, "x");
        assertThat(RecrawlStage.fetchedPage(robots, response(robots, 200, OLD_BODY))).isNull();
    }

    @Test
    void pageRecord_travelsInMeta_andAnUnreadableOneIsNone() {
        PageRecord record = new PageRecord(FETCHED, "\"v1\"", LAST_MODIFIED, "ab");
        Request request = Request.get("http://a.test/p").withMeta(PageRecord.META, record.toMeta());
        assertThat(PageRecord.of(request)).isEqualTo(record);
        assertThat(PageRecord.of(request.withMeta(PageRecord.META, "yes"))).isNull();
        assertThat(
                        PageRecord.of(
                                request.withMeta(
                                        PageRecord.META,
                                        java.util.Map.of("fetched_at", "yesterday"))))
                .isNull();
    }
}
