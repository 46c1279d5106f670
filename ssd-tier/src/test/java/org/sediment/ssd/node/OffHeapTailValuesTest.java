package org.sediment.ssd.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sediment.ssd.paxos.HeapTailValues;
import org.sediment.ssd.paxos.Operation;
import org.sediment.ssd.paxos.Proposal;
import org.sediment.ssd.paxos.TailValues;

class OffHeapTailValuesTest {

    @Test
    void readsBackWhatItKeptAcrossManyWrapsWhileForgettingPastTheBudget() {
        long budget = 10_000;
        OffHeapTailValues ring = new OffHeapTailValues(budget);
        HeapTailValues model = new HeapTailValues();
        ArrayDeque<long[]> handles = new ArrayDeque<>(); // {ring handle, model handle}
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            Proposal value = proposal(i, random.nextInt(3_000));
            long handle = ring.keep(value);
            assertThat(handle).isNotEqualTo(TailValues.NOT_KEPT);
            handles.addLast(new long[] {handle, model.keep(value)});
            // What the replica does: forget the oldest while over budget.
            while (ring.bytesKept() > budget) {
                ring.forgetOldest();
                model.forgetOldest();
                handles.pollFirst();
            }
            if (i % 97 == 0) {
                for (long[] h : handles) {
                    assertThat(ring.get(h[0])).isEqualTo(model.get(h[1]));
                }
            }
        }
        assertThat(handles).isNotEmpty();
        while (!handles.isEmpty()) {
            ring.forgetOldest();
            handles.pollFirst();
        }
        assertThat(ring.bytesKept()).isZero();
    }

    @Test
    void aValueLargerThanARecordMayBeIsNotKept() {
        OffHeapTailValues ring = new OffHeapTailValues(2_000);
        assertThat(ring.keep(proposal(1, 5_000))).isEqualTo(TailValues.NOT_KEPT);
        assertThat(ring.bytesKept()).isZero();
        long handle = ring.keep(proposal(2, 100));
        assertThat(ring.get(handle)).isEqualTo(proposal(2, 100));
    }

    @Test
    void aForgottenHandleIsRefused() {
        OffHeapTailValues ring = new OffHeapTailValues(100_000);
        long first = ring.keep(proposal(1, 10));
        long second = ring.keep(proposal(2, 10));
        ring.forgetOldest();
        assertThatThrownBy(() -> ring.get(first)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ring.get(second).seq()).isEqualTo(2);
    }

    @Test
    void aZeroBudgetKeepsNothing() {
        OffHeapTailValues ring = new OffHeapTailValues(0);
        assertThat(ring.keep(proposal(1, 0))).isEqualTo(TailValues.NOT_KEPT);
    }

    private static Proposal proposal(long seq, int valueBytes) {
        List<Operation> ops = new ArrayList<>();
        byte[] value = new byte[valueBytes];
        new Random(seq).nextBytes(value);
        ops.add(new Operation.Append(seq, Operation.UNCONDITIONAL, 1_000 + seq, value));
        if (seq % 3 == 0) {
            ops.add(new Operation.Delete(seq + 1, Operation.UNCONDITIONAL, 7, 3));
        }
        return new Proposal(1, 99, seq, ops);
    }
}
