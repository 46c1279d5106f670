package org.sediment.common.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sediment.common.testing.LeakDetection;

/** Proves the leak check bites: a buffer dropped without release must be reported. */
class LeakDetectionTest {

    @Test
    void aDeliberatelyLeakedBufferIsReported() {
        LeakDetection.assertInstalled();
        LeakDetection.collectLeaks(1); // start from a clean slate
        leakOneBuffer();
        List<String> leaks = new ArrayList<>();
        // GC timing is not ours to control: retry a bounded number of rounds.
        for (int attempt = 0; attempt < 40 && leaks.isEmpty(); attempt++) {
            leaks.addAll(LeakDetection.collectLeaks(1));
        }
        assertThat(leaks).as("the leak detector must report the deliberately leaked buffer").isNotEmpty();
        assertThat(String.join("\n", leaks)).contains("LEAK: ByteBuf").contains("leakOneBuffer");
    }

    @Test
    void aReleasedBufferIsNotReported() {
        LeakDetection.collectLeaks(1);
        ByteBuf buf = ByteBufAllocator.DEFAULT.buffer(64);
        buf.writeLong(42);
        buf.release();
        assertThat(LeakDetection.collectLeaks(3)).isEmpty();
    }

    private static void leakOneBuffer() {
        ByteBuf buf = ByteBufAllocator.DEFAULT.buffer(64);
        buf.writeLong(42); // touched in paranoid mode, so the report names this method
        // no release: the reference dies with this frame
    }
}
