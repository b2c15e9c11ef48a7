package org.arachne.frontier;

/** The order in which requests of equal priority are taken ({@code crawl_order}). */
public enum CrawlOrder {
    /** Breadth first: shallower and older requests first. */
    BFS,
    /** Depth first: deeper and newer requests first. */
    DFS
}
