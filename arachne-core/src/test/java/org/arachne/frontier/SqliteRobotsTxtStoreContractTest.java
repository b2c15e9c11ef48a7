package org.arachne.frontier;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link SqliteFrontier} keeps the {@link RobotsTxtStore} contract in one job dir across runs. */
class SqliteRobotsTxtStoreContractTest extends RobotsTxtStoreContractTest {
    @TempDir Path jobDir;

    @Override
    protected Frontier openAgain(FrontierSetup setup) {
        return SqliteFrontier.open(jobDir, setup);
    }
}
