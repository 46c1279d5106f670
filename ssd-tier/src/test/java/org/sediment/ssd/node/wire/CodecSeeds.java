package org.sediment.ssd.node.wire;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The seed of the codec tests: {@code -Dsediment.seed=N} replays a run, otherwise a fresh one.
 * With {@code @ExtendWith(CodecSeeds.class)} a failure prints the seed and the replay command.
 * (common's test {@code Seeds} is not on this module's test classpath.)
 */
public final class CodecSeeds implements TestWatcher {
    private static final long SEED = Long.getLong("sediment.seed", System.nanoTime());

    public static long seed() {
        return SEED;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        System.err.println("FAILED with seed " + SEED + "; replay: ./mvnw -o -q -pl ssd-tier -am test -Dtest="
                + context.getRequiredTestClass().getSimpleName() + " -Dsediment.seed=" + SEED
                + " -Dsurefire.failIfNoSpecifiedTests=false");
    }
}
