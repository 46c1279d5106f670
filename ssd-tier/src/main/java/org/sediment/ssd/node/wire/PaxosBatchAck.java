package org.sediment.ssd.node.wire;

/** The receiver took a {@link PaxosBatch} of {@code received} messages into its group's replica. */
public record PaxosBatchAck(int received) {

    public PaxosBatchAck {
        if (received < 0) {
            throw new IllegalArgumentException("received must be ≥ 0, got " + received);
        }
    }
}
