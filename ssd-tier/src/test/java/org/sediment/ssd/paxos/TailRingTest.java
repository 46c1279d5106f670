package org.sediment.ssd.paxos;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TailRingTest {

    @Test
    void keepsConsecutiveEntriesUpToItsLimitAndForgetsTheOldestBeyond() {
        TailRing ring = new TailRing(5);
        for (long entry = 10; entry < 22; entry++) {
            ring.add(entry, entry * 100);
        }
        assertThat(ring.size()).isEqualTo(5);
        assertThat(ring.firstEntry()).isEqualTo(17);
        for (long entry = 17; entry < 22; entry++) {
            assertThat(ring.get(entry)).isEqualTo(entry * 100);
        }
        assertThat(ring.get(16)).isEqualTo(TailRing.NONE);
        assertThat(ring.get(22)).isEqualTo(TailRing.NONE);
    }

    @Test
    void growsWithoutLosingOrderWhenItsOldestIsNotAtTheStartOfItsArray() {
        TailRing ring = new TailRing(64);
        long next = 1;
        for (; next <= 4; next++) {
            ring.add(next, -next * 7); // handles are opaque: any value but NONE
        }
        ring.removeFirstIf(1);
        ring.removeFirstIf(2); // the oldest now sits mid-array, so the next adds wrap around
        for (; next <= 40; next++) {
            ring.add(next, -next * 7);
        }
        assertThat(ring.firstEntry()).isEqualTo(3);
        assertThat(ring.size()).isEqualTo(38);
        for (long entry = 3; entry <= 40; entry++) {
            assertThat(ring.get(entry)).as("entry %d", entry).isEqualTo(-entry * 7);
        }
    }

    @Test
    void forgetsItsOldestOnlyWhenAskedForThatEntry() {
        TailRing ring = new TailRing(8);
        ring.add(3, 30);
        ring.add(4, 40);
        ring.removeFirstIf(4);
        assertThat(ring.firstEntry()).isEqualTo(3);
        ring.removeFirstIf(3);
        assertThat(ring.firstEntry()).isEqualTo(4);
        assertThat(ring.get(3)).isEqualTo(TailRing.NONE);
        ring.removeFirstIf(4);
        assertThat(ring.isEmpty()).isTrue();
        assertThat(ring.get(4)).isEqualTo(TailRing.NONE);
    }

    @Test
    void startsAgainAnywhereOnceCleared() {
        TailRing ring = new TailRing(8);
        ring.add(3, 30);
        ring.add(4, 40);
        ring.clear();
        ring.add(100, 1000);
        ring.add(101, 1010);
        assertThat(ring.firstEntry()).isEqualTo(100);
        assertThat(ring.get(4)).isEqualTo(TailRing.NONE);
        assertThat(ring.get(101)).isEqualTo(1010);
    }
}
