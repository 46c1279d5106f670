package org.sediment.common.api.ssd;

import java.util.List;

/**
 * Pages of many timelines of one group in one call: what a feed (read diffusion) asks of each
 * SSD group. Answered by a {@link MultiPageReply} with one page per request, in order; all
 * strong reads are confirmed together, so their probes share peer batches.
 *
 * @param pages 1 to {@link SsdApi#MAX_BATCH_PARTS} page requests, each of a timeline of the group
 */
public record MultiPageRequest(List<PageRequest> pages) {
    public MultiPageRequest {
        pages = Checks.list(pages, SsdApi.MAX_BATCH_PARTS, "pages");
        if (pages.isEmpty()) {
            throw new IllegalArgumentException("a multi-page request needs at least one page");
        }
    }
}
