package org.sediment.common.rpc;

import org.sediment.common.wire.FrameLimits;

/**
 * Limits of one RPC client (one per process is the intent).
 *
 * @param connectionsPerPeer       fixed number of connections to each remote address
 * @param maxInFlightPerConnection requests sent and not yet answered on one connection; one
 *                                 more fails at once with a LOCAL OVERLOADED outcome
 * @param maxFrameBytes            largest inbound or outbound frame; see {@link FrameLimits}
 * @param connectTimeoutMs         bound on establishing one connection
 * @param reconnectBackoffMs       after a failed connect, calls on that connection fail fast
 *                                 (UNAVAILABLE) for this long instead of reconnecting
 * @param ioThreads                event loop threads shared by all peers
 */
public record RpcClientConfig(
        int connectionsPerPeer,
        int maxInFlightPerConnection,
        int maxFrameBytes,
        long connectTimeoutMs,
        long reconnectBackoffMs,
        int ioThreads) {

    public RpcClientConfig {
        if (connectionsPerPeer < 1 || connectionsPerPeer > 64) {
            throw new IllegalArgumentException("connectionsPerPeer must be in [1, 64], got " + connectionsPerPeer);
        }
        if (maxInFlightPerConnection < 1) {
            throw new IllegalArgumentException(
                    "maxInFlightPerConnection must be at least 1, got " + maxInFlightPerConnection);
        }
        new FrameLimits(maxFrameBytes);
        if (connectTimeoutMs < 1 || connectTimeoutMs > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "connectTimeoutMs must be in [1, " + Integer.MAX_VALUE + "], got " + connectTimeoutMs);
        }
        if (reconnectBackoffMs < 0) {
            throw new IllegalArgumentException("reconnectBackoffMs must not be negative, got " + reconnectBackoffMs);
        }
        if (ioThreads < 1) {
            throw new IllegalArgumentException("ioThreads must be at least 1, got " + ioThreads);
        }
    }

    /** 2 connections per peer, 1 000 in flight each, default frame limit, 1 s connect, 100 ms backoff. */
    public static RpcClientConfig defaults() {
        return new RpcClientConfig(2, 1_000, FrameLimits.DEFAULT_MAX_FRAME_BYTES, 1_000, 100, 2);
    }

    public FrameLimits frameLimits() {
        return new FrameLimits(maxFrameBytes);
    }

    public RpcClientConfig withConnectionsPerPeer(int n) {
        return new RpcClientConfig(n, maxInFlightPerConnection, maxFrameBytes, connectTimeoutMs, reconnectBackoffMs, ioThreads);
    }

    public RpcClientConfig withMaxInFlightPerConnection(int n) {
        return new RpcClientConfig(connectionsPerPeer, n, maxFrameBytes, connectTimeoutMs, reconnectBackoffMs, ioThreads);
    }

    public RpcClientConfig withReconnectBackoffMs(long ms) {
        return new RpcClientConfig(connectionsPerPeer, maxInFlightPerConnection, maxFrameBytes, connectTimeoutMs, ms, ioThreads);
    }

    public RpcClientConfig withIoThreads(int n) {
        return new RpcClientConfig(connectionsPerPeer, maxInFlightPerConnection, maxFrameBytes, connectTimeoutMs,
                reconnectBackoffMs, n);
    }
}
