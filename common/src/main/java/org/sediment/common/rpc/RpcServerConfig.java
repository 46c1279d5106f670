package org.sediment.common.rpc;

import org.sediment.common.wire.FrameHeader;
import org.sediment.common.wire.FrameLimits;

/**
 * Limits and addresses of one RPC server. Build one with {@link #loopback(int)} or the six-limit
 * constructor and adjust with the {@code with...} methods; the connection bounds then take their
 * defaults ({@link #DEFAULT_IDLE_TIMEOUT_MS}, {@link #DEFAULT_FRAME_TIMEOUT_MS},
 * {@link #DEFAULT_MAX_CONNECTIONS}).
 *
 * @param bindHost              address to listen on ("127.0.0.1", "0.0.0.0")
 * @param port                  0 picks a free port
 * @param maxFrameBytes         largest inbound or outbound frame; see {@link FrameLimits}
 * @param maxQueuedRequests     requests accepted but not yet answered, across all connections;
 *                              more are answered OVERLOADED at once, from the event loop
 * @param ioThreads             event loop threads
 * @param writeBufferHighBytes  per connection: above this many unsent reply bytes the server
 *                              stops reading from that client until it drains to half
 * @param idleTimeoutMs         a connection on which no complete frame arrives for this long is
 *                              closed; must exceed the longest a handler takes to answer, since a
 *                              client waiting for its reply sends nothing meanwhile
 * @param frameTimeoutMs        a connection that has sent part of a frame and not finished it
 *                              within this long is closed (slow senders); must allow the largest
 *                              frame at the slowest link a real client has. A partial frame is
 *                              also bounded by {@code idleTimeoutMs}, whichever ends first
 * @param maxConnections        open connections; one more is closed as soon as it is accepted
 */
public record RpcServerConfig(
        String bindHost,
        int port,
        int maxFrameBytes,
        int maxQueuedRequests,
        int ioThreads,
        int writeBufferHighBytes,
        long idleTimeoutMs,
        long frameTimeoutMs,
        int maxConnections) {

    /** Five minutes: far above any call's timeout, so only connections nobody uses are closed. */
    public static final long DEFAULT_IDLE_TIMEOUT_MS = 300_000;
    /** Ten seconds: a 1 MiB frame at 100 KiB/s. */
    public static final long DEFAULT_FRAME_TIMEOUT_MS = 10_000;
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;

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
        if (idleTimeoutMs < 1) {
            throw new IllegalArgumentException("idleTimeoutMs must be at least 1, got " + idleTimeoutMs);
        }
        if (frameTimeoutMs < 1) {
            throw new IllegalArgumentException("frameTimeoutMs must be at least 1, got " + frameTimeoutMs);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, got " + maxConnections);
        }
    }

    /** The connection bounds at their defaults. */
    public RpcServerConfig(String bindHost, int port, int maxFrameBytes, int maxQueuedRequests, int ioThreads,
                           int writeBufferHighBytes) {
        this(bindHost, port, maxFrameBytes, maxQueuedRequests, ioThreads, writeBufferHighBytes,
                DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_FRAME_TIMEOUT_MS, DEFAULT_MAX_CONNECTIONS);
    }

    /** Loopback on {@code port}, default frame limit, 10 000 queued requests, 2 event loops, 1 MiB. */
    public static RpcServerConfig loopback(int port) {
        return new RpcServerConfig("127.0.0.1", port, FrameLimits.DEFAULT_MAX_FRAME_BYTES, 10_000, 2, 1 << 20);
    }

    public FrameLimits frameLimits() {
        return new FrameLimits(maxFrameBytes);
    }

    public RpcServerConfig withPort(int newPort) {
        return new RpcServerConfig(bindHost, newPort, maxFrameBytes, maxQueuedRequests, ioThreads, writeBufferHighBytes,
                idleTimeoutMs, frameTimeoutMs, maxConnections);
    }

    public RpcServerConfig withMaxQueuedRequests(int max) {
        return new RpcServerConfig(bindHost, port, maxFrameBytes, max, ioThreads, writeBufferHighBytes,
                idleTimeoutMs, frameTimeoutMs, maxConnections);
    }

    public RpcServerConfig withMaxFrameBytes(int max) {
        return new RpcServerConfig(bindHost, port, max, maxQueuedRequests, ioThreads, writeBufferHighBytes,
                idleTimeoutMs, frameTimeoutMs, maxConnections);
    }

    public RpcServerConfig withIdleTimeoutMs(long ms) {
        return new RpcServerConfig(bindHost, port, maxFrameBytes, maxQueuedRequests, ioThreads, writeBufferHighBytes,
                ms, frameTimeoutMs, maxConnections);
    }

    public RpcServerConfig withFrameTimeoutMs(long ms) {
        return new RpcServerConfig(bindHost, port, maxFrameBytes, maxQueuedRequests, ioThreads, writeBufferHighBytes,
                idleTimeoutMs, ms, maxConnections);
    }

    public RpcServerConfig withMaxConnections(int max) {
        return new RpcServerConfig(bindHost, port, maxFrameBytes, maxQueuedRequests, ioThreads, writeBufferHighBytes,
                idleTimeoutMs, frameTimeoutMs, max);
    }
}
