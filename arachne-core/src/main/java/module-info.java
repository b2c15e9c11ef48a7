/**
 * Arachne's core: the Java API for writing and running spiders, and the frontier SPI that durable
 * and shared frontiers implement. Everything but {@code org.arachne.internal} is exported:
 *
 * <ul>
 *   <li>{@code engine}: {@code Crawler}, {@code Settings}, results and stats;
 *   <li>{@code spider}, {@code spider.yaml}, {@code spider.contract}: spiders in Java and in YAML,
 *       and their contracts;
 *   <li>{@code http}, {@code url}, {@code select}: requests, responses, URLs, selectors;
 *   <li>{@code item}, {@code item.export}: items, pipelines, feeds;
 *   <li>{@code middleware}: the request and response stages a crawl can be given;
 *   <li>{@code frontier}, {@code politeness}: the frontier SPI, with the politeness rules and
 *       throttle functions a frontier enforces.
 * </ul>
 */
module org.arachne.core {
    requires transitive org.jsoup; // Page and Selection hand out jsoup's nodes
    requires transitive org.slf4j;
    requires org.jaxen;
    requires crawler.commons;
    requires org.apache.httpcomponents.client5.httpclient5;
    requires org.apache.httpcomponents.core5.httpcore5;
    requires org.apache.httpcomponents.core5.httpcore5.h2;
    requires transitive com.fasterxml.jackson.databind; // Response.json() hands out its tree
    requires com.fasterxml.jackson.dataformat.yaml;
    requires org.yaml.snakeyaml; // the YAML spider reader keeps line and column of each node
    requires com.fasterxml.jackson.dataformat.csv;
    requires com.github.albfernandez.juniversalchardet;
    requires jmespath.core; // JSON fields of YAML spiders (automatic modules, named by their jars)
    requires jmespath.jackson;
    requires com.carrotsearch.hppc;
    requires com.google.common;
    requires com.aayushatharva.brotli4j;
    requires com.github.benmanes.caffeine;
    requires java.sql; // the job dir's frontier
    requires org.xerial.sqlitejdbc; // its driver (found by DriverManager), read-only opens
    requires static org.jspecify;

    exports org.arachne.engine;
    exports org.arachne.frontier;
    exports org.arachne.http;
    exports org.arachne.item;
    exports org.arachne.item.export;
    exports org.arachne.middleware;
    exports org.arachne.politeness;
    exports org.arachne.select;
    exports org.arachne.spider;
    exports org.arachne.spider.contract;
    exports org.arachne.spider.yaml;
    exports org.arachne.url;
}
