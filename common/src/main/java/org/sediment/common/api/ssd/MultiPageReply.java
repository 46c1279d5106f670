package org.sediment.common.api.ssd;

import java.util.List;

/**
 * One page per request of a {@link MultiPageRequest}, in order. The pages share one frame, so
 * each may hold fewer items than asked (as any page may); the reader continues from its last item.
 */
public record MultiPageReply(List<PageReply> pages) {
    public MultiPageReply {
        pages = Checks.list(pages, SsdApi.MAX_BATCH_PARTS, "pages");
        long bytes = 4;
        for (PageReply page : pages) {
            bytes += PageReply.encodedBytes(page.items(), page.coldLinks(), page.coldRoutes());
        }
        Checks.fitsOneFrame(bytes, "a multi-page reply");
    }
}
