package org.arachne.cli.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PageViewerTest {
    @Test
    void withBase_pageWithAHead_getsTheBaseFirstInIt() {
        assertThat(PageViewer.withBase("<html><HEAD lang=en><title>t</title>", "http://a.test/x"))
                .isEqualTo("<html><HEAD lang=en><base href=\"http://a.test/x\"><title>t</title>");
    }

    @Test
    void withBase_pageWithoutAHead_startsWithTheBase() {
        assertThat(PageViewer.withBase("<p>x</p>", "http://a.test/"))
                .isEqualTo("<base href=\"http://a.test/\"><p>x</p>");
    }

    @Test
    void withBase_pageWithItsOwnBase_isKept() {
        String html = "<head><base href='/other/'></head>";
        assertThat(PageViewer.withBase(html, "http://a.test/")).isEqualTo(html);
    }

    @Test
    void opener_withoutADisplayOrPath_isNone() {
        assertThat(PageViewer.opener(Map.of())).isEmpty();
    }
}
