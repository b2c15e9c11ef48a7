package org.arachne.frontier;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link SqliteFrontier} keeps the frontier contract, each frontier in a new job dir. */
class SqliteFrontierContractTest extends FrontierContractTest {
    @TempDir Path temp;

    @Override
    protected Frontier open(FrontierSetup setup) {
        try {
            return SqliteFrontier.open(Files.createTempDirectory(temp, "job"), setup);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected boolean keepsPages() {
        return true;
    }
}
