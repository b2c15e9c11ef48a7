package org.arachne.spider.yaml;

import java.util.Objects;

/**
 * An item pipeline a spider file names by class ({@code pipelines: [org.acme.Clean]}, #12), with
 * where it was written, so that a class that cannot be loaded or made is reported at its line. The
 * file only names it: the command that runs the spider loads it (from its {@code -cp}).
 *
 * @param className a binary class name, such as {@code org.acme.Clean} or {@code
 *     org.acme.Pipelines$Clean}
 * @param where {@code FILE:LINE:COLUMN: pipelines[N]}, as problems of the file are reported
 */
public record PipelineClass(String className, String where) {
    public PipelineClass {
        Objects.requireNonNull(className, "className");
        Objects.requireNonNull(where, "where");
    }
}
