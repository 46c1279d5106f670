package org.sediment.common.api.ssd;

/**
 * A page of a timeline, newest first: from its newest item, or strictly older than the cursor
 * {@code (beforeTs, beforeSeq)} (normally the last item of the previous page). A page holds at
 * most {@code limit} items and may hold fewer when the reply's byte budget runs out; an empty
 * page without cold links means nothing older exists.
 *
 * @param fromNewest when true the cursor is unused and must be {@code (0, 0)}
 * @param limit      in [1, {@link SsdApi#MAX_PAGE_ITEMS}]
 */
public record PageRequest(long timeline, ReadMode mode, boolean fromNewest, long beforeTs, int beforeSeq,
                          int limit) {

    public PageRequest {
        Checks.notNull(mode, "mode");
        Checks.range(limit, 1, SsdApi.MAX_PAGE_ITEMS, "limit");
        if (fromNewest) {
            if (beforeTs != 0 || beforeSeq != 0) {
                throw new IllegalArgumentException("a page from the newest item has no cursor, got "
                        + beforeTs + "/" + Integer.toUnsignedString(beforeSeq));
            }
        } else {
            Checks.ts(beforeTs, "beforeTs");
        }
    }

    public static PageRequest newest(long timeline, ReadMode mode, int limit) {
        return new PageRequest(timeline, mode, true, 0, 0, limit);
    }

    public static PageRequest olderThan(long timeline, ReadMode mode, long beforeTs, int beforeSeq, int limit) {
        return new PageRequest(timeline, mode, false, beforeTs, beforeSeq, limit);
    }
}
