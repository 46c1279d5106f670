package org.sediment.common.api.ssd;

import java.util.List;

/**
 * Items of many timelines of one group by their exact keys, in one call. Answered by a
 * {@link MultiGetReply}.
 *
 * @param gets 1 to {@link SsdApi#MAX_BATCH_PARTS} gets, each of a timeline of the group
 */
public record MultiGetRequest(List<GetRequest> gets) {
    public MultiGetRequest {
        gets = Checks.list(gets, SsdApi.MAX_BATCH_PARTS, "gets");
        if (gets.isEmpty()) {
            throw new IllegalArgumentException("a multi-get request needs at least one get");
        }
    }
}
