package org.sediment.common.rpc;

import java.util.concurrent.CompletionStage;
import org.sediment.common.wire.FrameHeader;

/**
 * An {@link AsyncRequestHandler} that also sees the {@link Connection} the request came on, to
 * read or set its session (a handshake, then requests allowed only after it). Runs on the
 * connection's event loop, so requests of one connection reach it in the order they were sent;
 * it must not block.
 */
@FunctionalInterface
public interface ConnectionRequestHandler<Q, R> {

    CompletionStage<RpcOutcome<R>> handle(Q request, FrameHeader header, Connection connection);
}
