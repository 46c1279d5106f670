package org.sediment.common.rpc;

import org.sediment.common.wire.FrameHeader;

/**
 * Serves one {@link RpcMethod}. Runs on a virtual thread, never on an event loop, so it may block
 * (disk, Paxos round trips). An exception it throws is a bug: answered INTERNAL and counted.
 */
@FunctionalInterface
public interface RequestHandler<Q, R> {

    /** @param header the request header: priorities, route version, request id */
    RpcOutcome<R> handle(Q request, FrameHeader header) throws Exception;
}
