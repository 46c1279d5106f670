package org.sediment.common.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.sediment.common.time.RandomSource;

class ItemKeyTest {

    private static final long SEED = 0x1BE4_2026L;

    @Test
    void encodingRoundTrips() {
        RandomSource random = RandomSource.seeded(SEED);
        for (int i = 0; i < 200_000; i++) {
            ItemKey key = randomKey(random);
            assertThat(ItemKey.decode(key.encode())).as("seed %d, key %s", SEED, key).isEqualTo(key);
        }
    }

    @Test
    void encodedOrderIsOwnerAscendingThenNewestFirst() {
        RandomSource random = RandomSource.seeded(SEED + 1);
        for (int i = 0; i < 200_000; i++) {
            ItemKey a = randomKey(random);
            ItemKey b = random.chance(0.5) ? randomKey(random) : nearby(a, random);
            int encoded = Integer.signum(Arrays.compareUnsigned(a.encode(), b.encode()));
            assertThat(encoded).as("seed %d: %s vs %s", SEED + 1, a, b)
                    .isEqualTo(Integer.signum(expectedOrder(a, b)));
        }
    }

    @Test
    void timelineStartSortsBeforeEveryItemOfTheOwnerAndAfterThePreviousOwner() {
        ItemKey newest = new ItemKey(42, ItemKey.MAX_TS, -1);
        ItemKey oldest = new ItemKey(42, 0, 0);
        ItemKey previousOwner = new ItemKey(41, 0, 0);
        byte[] start = ItemKey.timelineStart(42);
        assertThat(Arrays.compareUnsigned(start, newest.encode())).isZero();
        assertThat(Arrays.compareUnsigned(start, oldest.encode())).isNegative();
        assertThat(Arrays.compareUnsigned(previousOwner.encode(), start)).isNegative();
        assertThat(Arrays.mismatch(ItemKey.ownerPrefix(42), oldest.encode())).isEqualTo(8);
    }

    @Test
    void unsignedOwnersAndSeqsSortAsUnsigned() {
        ItemKey small = new ItemKey(1, 5, 0);
        ItemKey huge = new ItemKey(-1L, 5, 0); // 2^64 - 1
        assertThat(Arrays.compareUnsigned(small.encode(), huge.encode())).isNegative();
        assertThat(small).isLessThan(huge);
        ItemKey seqHigh = new ItemKey(1, 5, -1); // 2^32 - 1: newest within the millisecond
        assertThat(Arrays.compareUnsigned(seqHigh.encode(), small.encode())).isNegative();
        assertThat(huge.toString()).isEqualTo("18446744073709551615/5/0");
    }

    @Test
    void rejectsTimestampsOutOfRangeAndWrongLengths() {
        assertThatThrownBy(() -> new ItemKey(1, -1, 0))
                .hasMessage("ts -1 out of range [0, 253402300799999] epoch-ms");
        assertThatThrownBy(() -> new ItemKey(1, ItemKey.MAX_TS + 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ItemKey.decode(new byte[19])).hasMessage("an item key is 20 bytes, got 19");
    }

    private static int expectedOrder(ItemKey a, ItemKey b) {
        int c = Long.compareUnsigned(a.owner(), b.owner());
        if (c != 0) {
            return c;
        }
        if (a.ts() != b.ts()) {
            return a.ts() > b.ts() ? -1 : 1;
        }
        return -Integer.compareUnsigned(a.seq(), b.seq());
    }

    private static ItemKey randomKey(RandomSource random) {
        long owner = random.chance(0.2) ? random.nextInt(4) : random.nextLong();
        long ts = random.chance(0.1) ? (random.chance(0.5) ? 0 : ItemKey.MAX_TS) : random.nextLong(0, ItemKey.MAX_TS + 1);
        int seq = random.chance(0.3) ? random.nextInt(3) : (int) random.nextLong();
        return new ItemKey(owner, ts, seq);
    }

    /** Shares the owner and often the ts, so the ts and seq comparisons get exercised. */
    private static ItemKey nearby(ItemKey key, RandomSource random) {
        long ts = random.chance(0.5) ? key.ts() : Math.max(0, Math.min(ItemKey.MAX_TS, key.ts() + random.nextInt(5) - 2));
        int seq = random.chance(0.5) ? key.seq() : key.seq() + random.nextInt(5) - 2;
        return new ItemKey(key.owner(), ts, seq);
    }
}
