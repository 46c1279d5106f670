package org.sediment.common.api.ssd;

import java.util.List;

/**
 * The answers to the first {@code gets.size()} gets of a {@link MultiGetRequest}, in order. The
 * answers share one frame: when the values would not fit, the reply stops early (after at least
 * one answer) and the caller asks again for the rest.
 */
public record MultiGetReply(List<GetReply> gets) {
    public MultiGetReply {
        gets = Checks.list(gets, SsdApi.MAX_BATCH_PARTS, "gets");
        long bytes = 4;
        for (GetReply get : gets) {
            bytes += get.encodedBytes();
        }
        Checks.fitsOneFrame(bytes, "a multi-get reply");
    }
}
