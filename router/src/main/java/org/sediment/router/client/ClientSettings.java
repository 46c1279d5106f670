package org.sediment.router.client;

import org.sediment.common.api.ssd.ReadMode;
import org.sediment.common.api.ssd.SsdApi;
import org.sediment.common.rpc.RpcClientConfig;
import org.sediment.router.ssd.ReplicaBoard;
import org.sediment.router.ssd.SsdCallPolicy;

/**
 * A {@link SedimentClient}'s limits and timing; every bound is explicit.
 *
 * @param calls            attempts, timeouts and hedging for each group call
 * @param board            failure accrual: when a replica is avoided, how it is probed
 * @param rpc              connections and in-flight limits of the wire client
 * @param maxInFlight      calls this client runs at once; more fail at once with {@code OVERLOADED}
 * @param maxValueBytes    the largest value a write may carry (DESIGN §1: 64 KiB)
 * @param staleRouteWaitMs after {@code STALE_ROUTE}, how long to wait for newer routes before failing
 * @param readMode         how fresh reads are ({@link ReadMode#STRONG}: linearizable)
 */
public record ClientSettings(SsdCallPolicy calls, ReplicaBoard.Settings board, RpcClientConfig rpc, int maxInFlight,
                             int maxValueBytes, long staleRouteWaitMs, ReadMode readMode) {

    public static final int DEFAULT_MAX_VALUE_BYTES = 64 << 10;

    public ClientSettings {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be ≥ 1, got " + maxInFlight);
        }
        if (maxValueBytes < 1 || maxValueBytes > SsdApi.MAX_VALUE_BYTES) {
            throw new IllegalArgumentException("maxValueBytes must be in [1, " + SsdApi.MAX_VALUE_BYTES + "], got "
                    + maxValueBytes);
        }
        if (staleRouteWaitMs < 0 || readMode == null) {
            throw new IllegalArgumentException("staleRouteWaitMs ≥ 0 and a read mode needed");
        }
    }

    public static ClientSettings defaults() {
        return new ClientSettings(SsdCallPolicy.defaults(), ReplicaBoard.Settings.defaults(),
                RpcClientConfig.defaults(), 20_000, DEFAULT_MAX_VALUE_BYTES, 2_000, ReadMode.STRONG);
    }

    public ClientSettings withCalls(SsdCallPolicy policy) {
        return new ClientSettings(policy, board, rpc, maxInFlight, maxValueBytes, staleRouteWaitMs, readMode);
    }

    public ClientSettings withRpc(RpcClientConfig config) {
        return new ClientSettings(calls, board, config, maxInFlight, maxValueBytes, staleRouteWaitMs, readMode);
    }

    public ClientSettings withMaxInFlight(int n) {
        return new ClientSettings(calls, board, rpc, n, maxValueBytes, staleRouteWaitMs, readMode);
    }

    public ClientSettings withMaxValueBytes(int n) {
        return new ClientSettings(calls, board, rpc, maxInFlight, n, staleRouteWaitMs, readMode);
    }
}
