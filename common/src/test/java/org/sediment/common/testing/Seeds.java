package org.sediment.common.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Seeds for randomized tests: {@code -Dsediment.seed=N} replays a run; otherwise a fresh seed.
 * With {@code @ExtendWith(Seeds.class)} a failing test prints the seed and the replay command.
 */
public final class Seeds implements TestWatcher {
    private static final long SEED = Long.getLong("sediment.seed", System.nanoTime());

    public static long seed() {
        return SEED;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        System.err.println("FAILED with seed " + SEED + "; replay: ./mvnw -o -q -pl common test -Dtest="
                + context.getRequiredTestClass().getSimpleName() + " -Dsediment.seed=" + SEED);
    }
}
