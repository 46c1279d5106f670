package org.sediment.common.api.ssd;

import java.util.Arrays;
import java.util.Objects;
import org.sediment.common.block.ColdLink;

/**
 * The item a {@link GetRequest} named, read at timeline {@code version}.
 *
 * <p>An item that sank to the cold tier is not found here; instead the reply names the sunk
 * block whose time range covers it ({@code coldLink}) and, when the node knows it, where that
 * block's replicas are ({@code coldRoute}), so the caller reads it there in one disk read.
 *
 * @param value     the item's value; empty when not {@code found}
 * @param coldLink  the sunk block that may hold the item, or null (found, or nothing sank there)
 * @param coldRoute the replicas of {@code coldLink}'s HDD group, or null if unknown
 */
public record GetReply(long version, boolean found, byte[] value, ColdLink coldLink, ColdRoute coldRoute) {

    private static final byte[] NONE = new byte[0];

    public GetReply {
        Checks.version(version, "version");
        Checks.value(value);
        if (!found && value.length != 0) {
            throw new IllegalArgumentException("a reply without the item carries no value, got "
                    + value.length + " bytes");
        }
        if (found && coldLink != null) {
            throw new IllegalArgumentException("a reply with the item names no cold link");
        }
        if (coldRoute != null && (coldLink == null || coldRoute.hddGroup() != coldLink.hddGroup())) {
            throw new IllegalArgumentException("a cold route must be its cold link's HDD group");
        }
    }

    public static GetReply found(long version, byte[] value) {
        return new GetReply(version, true, value, null, null);
    }

    public static GetReply notFound(long version) {
        return new GetReply(version, false, NONE, null, null);
    }

    /** Not here: it sank, into the block {@code link} (whose replicas are {@code route}, if known). */
    public static GetReply sunk(long version, ColdLink link, ColdRoute route) {
        return new GetReply(version, false, NONE, Objects.requireNonNull(link, "link"), route);
    }

    /** What this reply adds to a message body: version, found, the value, and the link and route if any. */
    public long encodedBytes() {
        return 8 + 1 + 4 + value.length + 1 + (coldLink == null ? 0 : ColdLink.ENCODED_BYTES) + 1
                + (coldRoute == null ? 0 : coldRoute.encodedBytes());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GetReply g && g.version == version && g.found == found && Arrays.equals(g.value, value)
                && Objects.equals(g.coldLink, coldLink) && Objects.equals(g.coldRoute, coldRoute);
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(version) + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "GetReply[v" + version + (found ? ", " + value.length + "B]"
                : coldLink != null ? ", sunk into " + coldLink + (coldRoute != null ? " at " + coldRoute : "") + "]"
                : ", not found]");
    }
}
