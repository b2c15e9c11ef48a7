package org.arachne.frontier;

import java.util.Locale;

/** The order in which requests of equal priority are taken ({@code crawl_order}). */
public enum CrawlOrder {
    /** Breadth first: shallower and older requests first. */
    BFS,
    /** Depth first: deeper and newer requests first. */
    DFS;

    /**
     * @throws IllegalArgumentException for anything but bfs or dfs
     */
    public static CrawlOrder parse(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "bfs" -> BFS;
            case "dfs" -> DFS;
            default ->
                    throw new IllegalArgumentException(
                            "setting 'crawl_order' has value '" + value + "', expected bfs or dfs");
        };
    }
}
