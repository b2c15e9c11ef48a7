package org.arachne;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.arachne.engine.CallbackTrial;
import org.arachne.http.DownloaderConfig;
import org.arachne.http.HttpClient5Downloader;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.arachne.item.Item;
import org.arachne.sandbox.BookPage;
import org.arachne.sandbox.Sandbox;
import org.arachne.spider.Spider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Java spider, compiled as written, does what the README says on the sandbox site it
 * names (#12): its callback on a listing page makes one item per book, each with the title and
 * price of the book page it links to, and follows the page's links.
 */
@Timeout(60)
class ReadmeJavaExampleIT {
    private static final String SPIDER = "org.example.BooksSpider";

    @Test
    void javaExample_parseOnSandboxListing_itemsAreTheLinkedBooks(@TempDir Path classes)
            throws Exception {
        assertThat(ReadmeJava.compile(ReadmeJava.sourceFiles(), classes)).isEmpty();
        Sandbox sandbox = Sandbox.shared();
        String listing = sandbox.startUrls().get(0);

        CallbackTrial.Result result;
        try (URLClassLoader loader =
                        new URLClassLoader(
                                new URL[] {classes.toUri().toURL()},
                                ReadmeJavaExampleIT.class.getClassLoader());
                HttpClient5Downloader downloader =
                        new HttpClient5Downloader(
                                DownloaderConfig.builder()
                                        .timeout(Duration.ofSeconds(10))
                                        .build())) {
            Spider spider =
                    (Spider) loader.loadClass(SPIDER).getDeclaredConstructor().newInstance();
            Response page = downloader.fetch(Request.get(listing));
            assertThat(page.status()).isEqualTo(200);
            result = CallbackTrial.run(spider, page);
        }

        assertThat(result.failure()).isNull();
        assertThat(result.items()).as("the items of " + listing).isNotEmpty();
        for (Item item : result.items()) {
            BookPage book = sandbox.bookPage(String.valueOf(item.get("link")));
            assertThat(book).as("the book page %s links to", item).isNotNull();
            assertThat(item.fields())
                    .containsEntry("title", book.title())
                    .containsEntry("price", book.price());
        }
        List<String> followed = result.requests().stream().map(Request::url).toList();
        assertThat(followed)
                .containsAll(result.items().stream().map(i -> (String) i.get("link")).toList());
    }
}
