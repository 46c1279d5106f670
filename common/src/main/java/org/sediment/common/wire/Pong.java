package org.sediment.common.wire;

/** The answer to a {@link Ping}. */
public record Pong(long nonce) {
}
