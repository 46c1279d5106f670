package org.sediment.common.rpc;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sediment.common.wire.BuiltinMessages;
import org.sediment.common.wire.ErrorCode;
import org.sediment.common.wire.ErrorReply;
import org.sediment.common.wire.Frame;
import org.sediment.common.wire.FrameHeader;
import org.sediment.common.wire.FrameKind;

/** Checks a server's replies against {@link FuzzFrames} expectations; throws AssertionError. */
final class FuzzReplies {

    private FuzzReplies() {
    }

    /** Exactly one correct reply per in-stream case, and nothing else. */
    static void checkInStream(List<FuzzFrames.Case> cases, List<Frame> replies) {
        Map<Long, FuzzFrames.Expected> expected = new HashMap<>();
        for (FuzzFrames.Case c : cases) {
            expected.put(c.expected().requestId(), c.expected());
        }
        if (replies.size() != cases.size()) {
            throw new AssertionError(cases.size() + " in-stream frames got " + replies.size() + " replies");
        }
        for (Frame reply : replies) {
            FuzzFrames.Expected want = expected.remove(reply.header().requestId());
            if (want == null) {
                throw new AssertionError("unexpected or duplicate reply " + reply);
            }
            check(want, reply);
        }
    }

    private static void check(FuzzFrames.Expected want, Frame reply) {
        FrameHeader header = reply.header();
        if (want.anyReply()) {
            if (header.kind() == FrameKind.REQUEST) {
                throw new AssertionError("a server replied with a request: " + reply);
            }
        } else if (want.code() == null) {
            if (header.kind() != FrameKind.RESPONSE || !reply.message().equals(want.body())) {
                throw new AssertionError("wanted " + want.body() + " for request " + want.requestId() + ", got " + reply);
            }
        } else {
            ErrorReply error = header.kind() == FrameKind.ERROR ? reply.messageAs(BuiltinMessages.ERROR_REPLY) : null;
            if (error == null || error.code() != want.code()) {
                throw new AssertionError("wanted " + want.code() + " for request " + want.requestId() + ", got " + reply);
            }
            if (error.code() == ErrorCode.STALE_ROUTE && error.currentRouteVersion() != FuzzFrames.ROUTE_VERSION) {
                throw new AssertionError("STALE_ROUTE must carry the current route version: " + reply);
            }
        }
    }

    /**
     * After a tail: a framing error gets exactly one error reply (id 0, the right code); a
     * truncated frame gets none; a mutated one may get anything well formed.
     */
    static void checkTail(FuzzFrames.Tail tail, List<Frame> replies, boolean connectionWasReset) {
        ErrorCode fatal = tail.fatalCode();
        if (fatal != null) {
            // Only a reset (the server closed with our bytes unread) may swallow the error reply.
            if (replies.isEmpty() && !connectionWasReset) {
                throw new AssertionError(tail + " closed the connection without an error reply");
            }
            if (replies.size() > 1) {
                throw new AssertionError(tail + " got " + replies.size() + " replies: " + replies);
            }
            for (Frame reply : replies) {
                ErrorReply error = reply.messageAs(BuiltinMessages.ERROR_REPLY);
                if (error == null || error.code() != fatal || reply.header().requestId() != FrameHeader.NO_REQUEST_ID) {
                    throw new AssertionError(tail + " wanted an error " + fatal + " with no request id, got " + reply);
                }
            }
        } else if (tail == FuzzFrames.Tail.TRUNCATED && !replies.isEmpty()) {
            throw new AssertionError("a truncated frame got replies: " + replies);
        }
    }
}
