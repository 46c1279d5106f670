package org.sediment.common.wire;

/** Liveness and round-trip probe; answered by a {@link Pong} with the same nonce. */
public record Ping(long nonce) {
}
