package org.sediment.common.api.ssd;

/** The answer to a {@link ColdRouteUpdate}: how many routes the node now holds from it. */
public record ColdRouteAck(int stored) {

    public ColdRouteAck {
        if (stored < 0) {
            throw new IllegalArgumentException("stored must be ≥ 0, got " + stored);
        }
    }
}
