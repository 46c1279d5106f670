package org.sediment.common.rpc;

import org.sediment.common.wire.WireException;

/** Finds the {@link WireException} behind Netty's codec wrappers. */
final class WireErrors {

    private WireErrors() {
    }

    static WireException find(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof WireException wire) {
                return wire;
            }
        }
        return null;
    }
}
