package org.sediment.common.rpc;

import org.sediment.common.wire.ErrorReply;
import org.sediment.common.wire.Frame;
import org.sediment.common.wire.FrameKind;

/** A method bound to its handler; keeps the request/response casts in one typed place. */
record Route<Q, R>(RpcMethod<Q, R> method, RequestHandler<Q, R> handler) {

    /** Runs the handler and builds the reply frame. Blocking: call from a virtual thread. */
    Frame serve(Frame request, long serverRouteVersion) throws Exception {
        Q body = method.request().javaType().cast(request.message());
        RpcOutcome<R> outcome = handler.handle(body, request.header());
        if (outcome == null) {
            throw new IllegalStateException("handler for " + method + " returned null");
        }
        return switch (outcome) {
            case RpcOutcome.Success<R> success -> new Frame(
                    request.header().reply(FrameKind.RESPONSE, method.response().id(), serverRouteVersion),
                    method.response(), success.body());
            case RpcOutcome.Failure<R> failure -> Frame.error(request.header(),
                    new ErrorReply(failure.code(), serverRouteVersion, failure.detail()), serverRouteVersion);
        };
    }
}
