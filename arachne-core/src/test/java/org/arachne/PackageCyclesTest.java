package org.arachne;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.arachne.engine.Crawler;
import org.junit.jupiter.api.Test;

/**
 * No package of arachne-core depends, through others, on itself (DESIGN.md: "no package cycles",
 * #8). Every package is one slice, sub-packages too ({@code spider.yaml}, {@code item.export}).
 */
class PackageCyclesTest {

    @Test
    void packages_haveNoCycles() {
        slices().matching("org.arachne.(**)")
                .should()
                .beFreeOfCycles()
                .check(
                        new ClassFileImporter()
                                .importUrl(
                                        Crawler.class
                                                .getProtectionDomain()
                                                .getCodeSource()
                                                .getLocation()));
    }
}
