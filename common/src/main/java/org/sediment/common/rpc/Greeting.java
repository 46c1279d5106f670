package org.sediment.common.rpc;

import java.util.concurrent.CompletableFuture;

/**
 * What an {@link RpcClient} does on each new connection before any call uses it, e.g. a
 * handshake that proves who the client is. The connection serves calls only once the greeting
 * completes successfully; a greeting that fails or completes exceptionally closes it, and the
 * calls waiting for it fail UNAVAILABLE with the reason.
 */
@FunctionalInterface
public interface Greeting {

    /**
     * @param connection calls on the new connection only
     * @return completes when the connection may serve calls; completes exceptionally to refuse it
     */
    CompletableFuture<Void> greet(Caller connection);

    /** Calls on one connection. */
    interface Caller {
        <Q, R> CompletableFuture<RpcOutcome<R>> call(RpcMethod<Q, R> method, Q request, long timeoutMs);
    }
}
