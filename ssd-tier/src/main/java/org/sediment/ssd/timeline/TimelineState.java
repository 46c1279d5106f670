package org.sediment.ssd.timeline;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * What a replica keeps per timeline besides its items: the version (index of the last applied log
 * entry), the links to blocks of it that sank to the cold tier (oldest first), the
 * {@link RequestMemory} that makes retried writes exactly-once, and {@code written}, the entry of
 * the last write that took effect. A conditional write at version {@code v} applies only if
 * nothing was written after {@code v}: entries that change nothing (failed checks, repeated
 * requests) move the version but not {@code written}, so contending compare-and-set clients
 * cannot keep each other from ever succeeding. Small, and rewritten whole at each checkpoint; log
 * records carry only what an update adds ({@link #after}).
 */
public record TimelineState(long version, List<byte[]> coldLinks, RequestMemory requests, long written) {

    public static final TimelineState EMPTY = new TimelineState(0, List.of(), RequestMemory.EMPTY, 0);
    /** Limits of a valid state; every codec of a state (store, log, snapshots) checks them. */
    public static final int MAX_COLD_LINKS = 1 << 16;
    public static final int MAX_LINK_BYTES = 1 << 10;

    public TimelineState {
        if (version < 0) {
            throw new IllegalArgumentException("version must be ≥ 0, got " + version);
        }
        if (written < 0 || written > version) {
            throw new IllegalArgumentException("written must be in [0, version " + version + "], got " + written);
        }
        coldLinks = List.copyOf(coldLinks);
    }

    /** A state whose last entry was a write (what a bare version means in tests and old checkpoints). */
    public TimelineState(long version, List<byte[]> coldLinks, RequestMemory requests) {
        this(version, coldLinks, requests, version);
    }

    /** The state once {@code update} is applied: the one rule for how a timeline's state evolves. */
    public TimelineState after(TimelineUpdate update) {
        if (update.replacesState()) {
            return new TimelineState(update.version(), update.coldLinksAdded(), RequestMemory.of(update.requestsAdded()),
                    update.written());
        }
        if (update.version() != version + 1) {
            throw new IllegalStateException("timeline " + Long.toUnsignedString(update.timeline()) + " at version "
                    + version + " cannot take the update to " + update.version());
        }
        List<byte[]> links = coldLinks;
        if (!update.coldLinksAdded().isEmpty()) {
            links = new ArrayList<>(coldLinks);
            links.addAll(update.coldLinksAdded());
        }
        return new TimelineState(update.version(), links, requests.with(update.requestsAdded()), update.written());
    }

    public byte[] encode() {
        int size = 8 + 4 + requests.encodedBytes() + 8;
        for (byte[] link : coldLinks) {
            size += 4 + link.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size).putLong(version).putInt(coldLinks.size());
        for (byte[] link : coldLinks) {
            out.putInt(link.length).put(link);
        }
        requests.encodeInto(out);
        out.putLong(written);
        return out.array();
    }

    public static TimelineState decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        long version = in.getLong();
        int count = in.getInt();
        if (count < 0 || count > MAX_COLD_LINKS) {
            throw new IllegalArgumentException("corrupt timeline state: " + count + " cold links");
        }
        List<byte[]> links = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int length = in.getInt();
            if (length < 0 || length > MAX_LINK_BYTES || length > in.remaining()) {
                throw new IllegalArgumentException("corrupt timeline state: cold link of " + length + " bytes");
            }
            byte[] link = new byte[length];
            in.get(link);
            links.add(link);
        }
        RequestMemory requests = RequestMemory.decode(in);
        // A state written before there was a 'written' field ends here: its last entry counts as a write.
        long written = in.remaining() == 8 ? in.getLong() : version;
        if (in.hasRemaining()) {
            throw new IllegalArgumentException("corrupt timeline state: " + in.remaining() + " trailing bytes");
        }
        if (written < 0 || written > version) {
            throw new IllegalArgumentException("corrupt timeline state: written " + written + " outside [0, " + version + "]");
        }
        return new TimelineState(version, links, requests, written);
    }
}
