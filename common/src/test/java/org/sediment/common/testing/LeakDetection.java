package org.sediment.common.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Makes Netty buffer leaks fail tests instead of only logging them.
 *
 * <p>Netty reports a leak when a tracked buffer is garbage collected without having been released;
 * the report goes to a logger, which a test never looks at. We install a
 * {@link ResourceLeakDetectorFactory} whose detectors also keep every report in a queue. The
 * factory must be in place before {@code AbstractByteBuf} initialises (it creates its detector
 * once, in a static field), which is why {@link LeakDetectionSessionListener} installs it when the
 * JUnit launcher session opens, before any test class loads. {@link #assertInstalled()} checks
 * that this worked, so a broken setup fails loudly instead of silently detecting nothing.
 *
 * <p>Reports surface only after a GC, the reference handler thread's enqueueing of what it
 * cleared, and a later buffer allocation (the detector polls its reference queue on
 * {@code track}), so {@link #collectLeaks(int)} runs GC, waits for the enqueueing, and allocates.
 */
public final class LeakDetection {
    private static final ConcurrentLinkedQueue<String> REPORTS = new ConcurrentLinkedQueue<>();
    private static final Set<Class<?>> DETECTED_TYPES = ConcurrentHashMap.newKeySet();
    /** A full GC of a test JVM takes milliseconds; this is for a loaded 2-core machine. */
    private static final long GC_PATIENCE_MILLIS = 10_000;
    private static volatile boolean installed;

    private LeakDetection() {
    }

    /** Idempotent; call before any Netty buffer class is touched. */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new CapturingFactory());
        installed = true;
    }

    /** Fails unless buffers allocated by Netty are tracked by a capturing detector at PARANOID. */
    public static void assertInstalled() {
        if (!installed) {
            throw new AssertionError("LeakDetection.install() never ran: is LeakDetectionSessionListener registered?");
        }
        ByteBuf probe = ByteBufAllocator.DEFAULT.buffer(8);
        probe.release();
        Unpooled.buffer(8).release();
        if (!DETECTED_TYPES.contains(ByteBuf.class)) {
            throw new AssertionError("ByteBuf's leak detector was created before the capturing factory was"
                    + " installed; leaks would go unnoticed");
        }
        if (ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID) {
            throw new AssertionError("tests must run with -Dio.netty.leakDetectionLevel=paranoid, level is "
                    + ResourceLeakDetector.getLevel());
        }
    }

    /**
     * Runs {@code rounds} of GC plus tracked allocations and returns (and forgets) every leak
     * reported so far.
     */
    public static List<String> collectLeaks(int rounds) {
        for (int i = 0; i < rounds; i++) {
            try {
                collectGarbageAndAwaitItsReferences();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            for (int j = 0; j < 4; j++) {
                ByteBufAllocator.DEFAULT.buffer(8).release(); // polls the detector's reference queue
                Unpooled.buffer(8).release();
            }
        }
        List<String> leaks = new ArrayList<>();
        for (String report; (report = REPORTS.poll()) != null; ) {
            leaks.add(report);
        }
        return leaks;
    }

    /**
     * Runs a GC and waits until the reference handler thread has enqueued what it cleared,
     * instead of sleeping and hoping it has. A weak reference to an object nobody holds is
     * cleared by that GC, so its arrival in the queue shows that the handler has taken that
     * GC's references (the detector's leak records among them). The handler takes a GC's
     * references all at once and enqueues them before it takes the next GC's, so when round
     * {@code n}'s sentinel arrives, everything cleared by the GCs of earlier rounds has been
     * enqueued: {@link #assertNoLeaks()} runs several rounds for that reason.
     */
    private static void collectGarbageAndAwaitItsReferences() throws InterruptedException {
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
        System.gc();
        if (queue.remove(GC_PATIENCE_MILLIS) == null) {
            throw new AssertionError("System.gc() cleared no unreachable object within " + GC_PATIENCE_MILLIS
                    + " ms (is -XX:+DisableExplicitGC set?): leaks would go unnoticed");
        }
        Reference.reachabilityFence(sentinel); // an unreachable WeakReference is never enqueued
    }

    /** Throws if any leak was reported; the message carries Netty's access records. */
    public static void assertNoLeaks() {
        assertInstalled();
        List<String> leaks = collectLeaks(3);
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " Netty buffer leak(s) detected:\n" + String.join("\n----\n", leaks));
        }
    }

    private static final class CapturingFactory extends ResourceLeakDetectorFactory {
        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval) {
            DETECTED_TYPES.add(resource);
            return new CapturingDetector<>(resource, samplingInterval);
        }

        /** Abstract in Netty although deprecated; {@code maxActive} is ignored by Netty too. */
        @Override
        @SuppressWarnings("deprecation")
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                                                                  long maxActive) {
            return newResourceLeakDetector(resource, samplingInterval);
        }
    }

    private static final class CapturingDetector<T> extends ResourceLeakDetector<T> {
        CapturingDetector(Class<?> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        protected boolean needReport() {
            return true; // report even if the logging backend has ERROR disabled
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            REPORTS.add("LEAK: " + resourceType + records);
            super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            REPORTS.add("LEAK: " + resourceType + " (untraced)");
            super.reportUntracedLeak(resourceType);
        }
    }
}
