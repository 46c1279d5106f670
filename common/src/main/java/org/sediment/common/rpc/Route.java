package org.sediment.common.rpc;

import java.util.concurrent.CompletionStage;
import org.sediment.common.wire.ErrorReply;
import org.sediment.common.wire.Frame;
import org.sediment.common.wire.FrameKind;

/**
 * A method bound to its handler, blocking ({@code handler}) or asynchronous ({@code async}): one
 * of them is set. Keeps the request/response casts in one typed place.
 */
record Route<Q, R>(RpcMethod<Q, R> method, RequestHandler<Q, R> handler, AsyncRequestHandler<Q, R> async) {

    Route {
        if ((handler == null) == (async == null)) {
            throw new IllegalArgumentException("a route has exactly one handler, blocking or async");
        }
    }

    Route(RpcMethod<Q, R> method, RequestHandler<Q, R> handler) {
        this(method, handler, null);
    }

    Route(RpcMethod<Q, R> method, AsyncRequestHandler<Q, R> async) {
        this(method, null, async);
    }

    boolean isAsync() {
        return async != null;
    }

    /** Runs the blocking handler and builds the reply frame. Call from a virtual thread. */
    Frame serve(Frame request, long serverRouteVersion) throws Exception {
        return reply(request, handler.handle(body(request), request.header()), serverRouteVersion);
    }

    /** Starts the async handler (on the event loop); the stage yields the handler's outcome. */
    CompletionStage<RpcOutcome<R>> serveAsync(Frame request) {
        CompletionStage<RpcOutcome<R>> stage = async.handle(body(request), request.header());
        if (stage == null) {
            throw new IllegalStateException("handler for " + method + " returned null");
        }
        return stage;
    }

    Frame reply(Frame request, RpcOutcome<R> outcome, long serverRouteVersion) {
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

    private Q body(Frame request) {
        return method.request().javaType().cast(request.message());
    }
}
