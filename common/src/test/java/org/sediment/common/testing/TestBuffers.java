package org.sediment.common.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;

/**
 * Heap buffers for the test's own side of a conversation (building raw frames, parsing replies).
 * They are created directly, not through an allocator, so the paranoid leak detector does not
 * track them: it records a stack trace on nearly every access, and tracking the test's scaffolding
 * made the fuzz run several times slower without checking anything about the code under test.
 * Every buffer the server and client allocate stays tracked.
 */
public final class TestBuffers {

    private TestBuffers() {
    }

    public static ByteBuf untracked() {
        return new UnpooledHeapByteBuf(UnpooledByteBufAllocator.DEFAULT, 256, Integer.MAX_VALUE);
    }
}
