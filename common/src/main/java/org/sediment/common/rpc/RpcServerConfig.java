package org.sediment.common.rpc;

import org.sediment.common.wire.FrameHeader;
import org.sediment.common.wire.FrameLimits;

/**
 * Limits and addresses of one RPC server.
 *
 * @param bindHost              address to listen on ("127.0.0.1", "0.0.0.0")
 * @param port                  0 picks a free port
 * @param maxFrameBytes         largest inbound or outbound frame; see {@link FrameLimits}
 * @param maxQueuedRequests     requests accepted but not yet answered, across all connections;
 *                              more are answered OVERLOADED at once, from the event loop
 * @param ioThreads             event loop threads
 * @param writeBufferHighBytes  per connection: above this many unsent reply bytes the server
 *                              stops reading from that client until it drains to half
 */
public record RpcServerConfig(
        String bindHost,
        int port,
        int maxFrameBytes,
        int maxQueuedRequests,
        int ioThreads,
        int writeBufferHighBytes) {

    public RpcServerConfig {
        if (bindHost == null || bindHost.isBlank()) {
            throw new IllegalArgumentException("bindHost must not be blank");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
        }
        new FrameLimits(maxFrameBytes); // validates, with its own message
        if (maxQueuedRequests < 1) {
            throw new IllegalArgumentException("maxQueuedRequests must be at least 1, got " + maxQueuedRequests);
        }
        if (ioThreads < 1) {
            throw new IllegalArgumentException("ioThreads must be at least 1, got " + ioThreads);
        }
        if (writeBufferHighBytes < FrameHeader.MIN_FRAME_BYTES * 2) {
            throw new IllegalArgumentException("writeBufferHighBytes must be at least "
                    + FrameHeader.MIN_FRAME_BYTES * 2 + ", got " + writeBufferHighBytes);
        }
    }

    /** Loopback on {@code port}, default frame limit, 10 000 queued requests, 2 event loops, 1 MiB. */
    public static RpcServerConfig loopback(int port) {
        return new RpcServerConfig("127.0.0.1", port, FrameLimits.DEFAULT_MAX_FRAME_BYTES, 10_000, 2, 1 << 20);
    }

    public FrameLimits frameLimits() {
        return new FrameLimits(maxFrameBytes);
    }

    public RpcServerConfig withPort(int newPort) {
        return new RpcServerConfig(bindHost, newPort, maxFrameBytes, maxQueuedRequests, ioThreads, writeBufferHighBytes);
    }

    public RpcServerConfig withMaxQueuedRequests(int max) {
        return new RpcServerConfig(bindHost, port, maxFrameBytes, max, ioThreads, writeBufferHighBytes);
    }

    public RpcServerConfig withMaxFrameBytes(int max) {
        return new RpcServerConfig(bindHost, port, max, maxQueuedRequests, ioThreads, writeBufferHighBytes);
    }
}
