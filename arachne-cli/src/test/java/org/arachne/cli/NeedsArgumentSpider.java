package org.arachne.cli;

import org.arachne.http.Response;
import org.arachne.spider.Output;
import org.arachne.spider.Spider;

/** A spider without a no-argument constructor, for {@code crawl --class} errors. */
public final class NeedsArgumentSpider implements Spider {
    private final String name;

    public NeedsArgumentSpider(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void parse(Response response, Output out) {}
}
