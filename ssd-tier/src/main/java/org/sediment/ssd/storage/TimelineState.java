package org.sediment.ssd.storage;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * What the store keeps per timeline besides its items: the version (index of the last applied
 * log entry) and the links to blocks of it that sank to the cold tier, oldest first. Small, and
 * rewritten whole at each checkpoint.
 */
public record TimelineState(long version, List<byte[]> coldLinks) {

    public static final TimelineState EMPTY = new TimelineState(0, List.of());
    /** Limits of a valid state; every codec of a state (store, log, snapshots) checks them. */
    public static final int MAX_COLD_LINKS = 1 << 16;
    public static final int MAX_LINK_BYTES = 1 << 10;

    public TimelineState {
        if (version < 0) {
            throw new IllegalArgumentException("version must be ≥ 0, got " + version);
        }
        coldLinks = List.copyOf(coldLinks);
    }

    public TimelineState withVersion(long newVersion) {
        return new TimelineState(newVersion, coldLinks);
    }

    public TimelineState withColdLink(long newVersion, byte[] link) {
        List<byte[]> links = new ArrayList<>(coldLinks);
        links.add(link);
        return new TimelineState(newVersion, links);
    }

    public byte[] encode() {
        int size = 8 + 4;
        for (byte[] link : coldLinks) {
            size += 4 + link.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size).putLong(version).putInt(coldLinks.size());
        for (byte[] link : coldLinks) {
            out.putInt(link.length).put(link);
        }
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
        return new TimelineState(version, links);
    }
}
