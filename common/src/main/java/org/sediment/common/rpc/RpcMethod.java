package org.sediment.common.rpc;

import org.sediment.common.wire.BuiltinMessages;
import org.sediment.common.wire.MessageType;
import org.sediment.common.wire.Ping;
import org.sediment.common.wire.Pong;

/**
 * One remote call: the request type a server dispatches on and the response type it answers
 * with. Modules declare their methods next to their message types.
 *
 * @param routeChecked whether the server rejects a request carrying an older route version with
 *                     {@code STALE_ROUTE}; false only for calls that address a machine rather than
 *                     data (pings, admin)
 */
public record RpcMethod<Q, R>(MessageType<Q> request, MessageType<R> response, boolean routeChecked) {

    /** Liveness probe; needs no routes. */
    public static final RpcMethod<Ping, Pong> PING =
            new RpcMethod<>(BuiltinMessages.PING, BuiltinMessages.PONG, false);

    public RpcMethod {
        if (request == null || response == null) {
            throw new IllegalArgumentException("request and response types must not be null");
        }
        if (request.id() == BuiltinMessages.ERROR_REPLY.id() || response.id() == BuiltinMessages.ERROR_REPLY.id()) {
            throw new IllegalArgumentException("ErrorReply is reserved for error frames");
        }
    }

    @Override
    public String toString() {
        return request.name() + "->" + response.name();
    }
}
