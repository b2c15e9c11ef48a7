package org.arachne.frontier;

/** {@link MemoryFrontier} keeps the frontier contract. */
class MemoryFrontierContractTest extends FrontierContractTest {
    @Override
    protected Frontier open(FrontierSetup setup) {
        return new MemoryFrontier(setup);
    }
}
