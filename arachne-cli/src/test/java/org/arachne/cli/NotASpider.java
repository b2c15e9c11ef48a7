package org.arachne.cli;

/** A class that is not a spider, for {@code crawl --class} errors. */
public final class NotASpider {}
