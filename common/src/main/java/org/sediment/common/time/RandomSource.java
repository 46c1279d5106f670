package org.sediment.common.time;

import java.util.SplittableRandom;

/**
 * The only source of randomness in core packages. Production seeds it from the OS; a simulator
 * seeds it from its one {@code long} seed, so every random choice (backoff jitter, replica
 * order, fault injection) replays exactly. Not thread-safe: each owner gets its own via
 * {@link #split()}.
 */
public final class RandomSource {
    private final SplittableRandom random;

    private RandomSource(SplittableRandom random) {
        this.random = random;
    }

    public static RandomSource seeded(long seed) {
        return new RandomSource(new SplittableRandom(seed));
    }

    /** Seeded from the OS entropy pool: for processes, never for simulations. */
    public static RandomSource fromEntropy() {
        return new RandomSource(new SplittableRandom(new java.security.SecureRandom().nextLong()));
    }

    /** An independent stream, deterministic given this source's state. */
    public RandomSource split() {
        return new RandomSource(random.split());
    }

    public long nextLong() {
        return random.nextLong();
    }

    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** Uniform in [origin, bound). */
    public long nextLong(long origin, long bound) {
        return random.nextLong(origin, bound);
    }

    public double nextDouble() {
        return random.nextDouble();
    }

    /** True with the given probability (0..1). */
    public boolean chance(double probability) {
        return random.nextDouble() < probability;
    }

    public void nextBytes(byte[] bytes) {
        random.nextBytes(bytes);
    }
}
