package org.arachne.spider.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.arachne.engine.CrawlResult;
import org.arachne.engine.CrawlRun;
import org.arachne.item.Item;
import org.arachne.sandbox.BookPage;
import org.arachne.sandbox.Sandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Rules with a callback over the sandbox's book site: the items of every page are compared with
 * what the sandbox serves on it.
 */
@Timeout(60)
class RulesIT {
    private static final String HOST = "127.0.0.131";
    private static Sandbox sandbox;

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.builder().hosts(List.of(HOST)).pagesPerHost(30).build().start();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    /** Crawls a spider file with the sandbox's host as arguments; returns its items. */
    static List<Item> crawl(String yaml) {
        DeclarativeSpider spider =
                new DeclarativeSpider(
                        YamlSpiders.parse(
                                yaml,
                                "rules.yaml",
                                Map.of("base", sandbox.baseUrl(HOST), "host", HOST)));
        CrawlRun run = CrawlRun.of(spider, Map.of());
        assertThat(run.result().status()).isEqualTo(CrawlResult.Status.FINISHED);
        assertThat(run.result().stats()).doesNotContainKey("error_count");
        return run.items();
    }

    /** The book pages of the host, as the sandbox serves them. */
    static List<BookPage> bookPages() {
        return sandbox.manifest().crawlableUrls().stream()
                .map(sandbox::bookPage)
                .filter(Objects::nonNull)
                .toList();
    }

    @Test
    void crawl_ruleWithCallback_givesEachBookPageToItsBlockAndTheRestToTheOthers() {
        List<Item> items =
                crawl(
                        """
                        name: rules
                        arguments: {base: ~, host: ~}
                        start_urls: ['${base}']
                        allowed_domains: ['${host}']
                        rules:
                          - allow: ['/catalogue/book-']
                            restrict_xpaths: ["//article[@class='product_pod']"]
                            callback: book
                            follow: true
                        items:
                          - name: book
                            fields:
                              url: {value: url}
                              title: {xpath: //h1/text(), required: true}
                              price: "//p[@class='price_color main']/text()"
                              upc: "//table//tr[th='UPC']/td/text()"
                          - each: "//article[@class='product_pod']"
                            fields:
                              page: {value: url}
                              link: {xpath: h3/a/@href, type: url}
                        """);

        List<Map<String, Object>> books =
                items.stream()
                        .map(Item::fields)
                        .filter(f -> f.containsKey("upc"))
                        .map(f -> (Map<String, Object>) f)
                        .toList();
        assertThat(books)
                .containsExactlyInAnyOrderElementsOf(
                        bookPages().stream()
                                .map(
                                        b ->
                                                Map.<String, Object>of(
                                                        "url", b.url(),
                                                        "title", b.title(),
                                                        "price", b.price(),
                                                        "upc", b.upc()))
                                .toList());
        Set<Object> listingPages =
                items.stream()
                        .map(Item::fields)
                        .filter(f -> f.containsKey("page"))
                        .map(f -> f.get("page"))
                        .collect(Collectors.toSet());
        assertThat(listingPages)
                .containsExactly(sandbox.baseUrl(HOST))
                .as("the block no rule names runs on the start page only: the rest are book's");
    }

    @Test
    void crawl_ruleThatCarries_bringsTheListingsPriceAndTitleToEachBookPage() {
        List<Item> items =
                crawl(
                        """
                        name: carry
                        arguments: {base: ~, host: ~}
                        start_urls: ['${base}']
                        allowed_domains: ['${host}']
                        rules:
                          - each: "//article[@class='product_pod']"
                            allow: ['/catalogue/book-']
                            callback: book
                            follow: true
                            carry:
                              listed_title: h3/a/@title
                              listed_price: {xpath: ".//p[@class='price_color']/text()"}
                        items:
                          - name: book
                            fields:
                              url: {value: url}
                              title: {xpath: //h1/text(), required: true}
                              listed_title: {value: meta, name: listed_title}
                              listed_price: {value: meta, name: listed_price}
                        """);

        assertThat(items)
                .extracting(Item::fields)
                .containsExactlyInAnyOrderElementsOf(
                        bookPages().stream()
                                .map(
                                        b ->
                                                Map.<String, Object>of(
                                                        "url", b.url(),
                                                        "title", b.title(),
                                                        "listed_title", b.title(),
                                                        "listed_price", b.price()))
                                .toList());
    }
}
