package org.sediment.common.api.ssd;

import java.util.Arrays;

/**
 * The item a {@link GetRequest} named, read at timeline {@code version}.
 *
 * @param value the item's value; empty when not {@code found}
 */
public record GetReply(long version, boolean found, byte[] value) {

    private static final byte[] NONE = new byte[0];

    public GetReply {
        Checks.version(version, "version");
        Checks.value(value);
        if (!found && value.length != 0) {
            throw new IllegalArgumentException("a reply without the item carries no value, got "
                    + value.length + " bytes");
        }
    }

    public static GetReply found(long version, byte[] value) {
        return new GetReply(version, true, value);
    }

    public static GetReply notFound(long version) {
        return new GetReply(version, false, NONE);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GetReply g && g.version == version && g.found == found && Arrays.equals(g.value, value);
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(version) + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "GetReply[v" + version + (found ? ", " + value.length + "B]" : ", not found]");
    }
}
