package org.sediment.common.rpc;

import java.util.concurrent.CompletionStage;
import org.sediment.common.wire.FrameHeader;

/**
 * Serves one {@link RpcMethod} without a thread of its own: called on the connection's event
 * loop, it hands the request on (to a queue, another thread) and returns the reply to come. It
 * must not block. For handlers that only enqueue and wait, this saves a virtual thread, its
 * scheduling and its wake-up per request. A handler that throws, or whose stage fails, is a bug:
 * answered INTERNAL and counted.
 */
@FunctionalInterface
public interface AsyncRequestHandler<Q, R> {

    /** @param header the request header: priorities, route version, request id */
    CompletionStage<RpcOutcome<R>> handle(Q request, FrameHeader header);
}
