package org.arachne.frontier;

/**
 * Opens the frontier of a crawl: the plug point between the engine and where the queue lives
 * (memory, a job dir's SQLite database, Redis). The engine picks one from the settings, or takes
 * the one given to {@code Crawler.Builder.frontier}.
 */
@FunctionalInterface
public interface FrontierFactory {

    /** The default: a {@link MemoryFrontier}, lost when the process ends. */
    FrontierFactory MEMORY = MemoryFrontier::new;

    /**
     * Opens a frontier, fresh or resumed ({@link Frontier#opening()}).
     *
     * @throws FrontierException when its store cannot be opened; the message names it
     */
    Frontier open(FrontierSetup setup);
}
