package org.sediment.common.api.ssd;

import java.util.List;

/**
 * The answer to one {@link VersionClaim}. Valid: the claimed version is current, {@code version}
 * repeats it and {@code freshPage} is empty. Not valid: {@code version} is the current version
 * and {@code freshPage} the timeline's newest items at it, newest first, at most the request's
 * page limit; it may be shorter (even empty) when the reply's byte budget ran out, so a caller
 * caches it as a prefix of the page and reads on with a {@link PageRequest} if it needs more.
 *
 * @param complete for a stale claim: {@code freshPage} holds every item of the timeline (none
 *                 older is hot or sunk), so any shorter page is a prefix of it; false for a valid claim
 */
public record VersionVerdict(long timeline, long version, boolean valid, List<TimelineItem> freshPage,
                             boolean complete) {

    /** A verdict with an empty page: timeline, version, flag and item count. */
    public static final int EMPTY_BYTES = 8 + 8 + 1 + 4;

    public VersionVerdict {
        Checks.version(version, "version");
        freshPage = Checks.list(freshPage, SsdApi.MAX_PAGE_ITEMS, "freshPage");
        if (valid && !freshPage.isEmpty()) {
            throw new IllegalArgumentException("a valid claim needs no fresh page, got " + freshPage.size() + " items");
        }
        if (valid && complete) {
            throw new IllegalArgumentException("only a fresh page can be complete");
        }
        Checks.newestFirst(freshPage, "freshPage");
    }

    public static VersionVerdict current(VersionClaim claim) {
        return new VersionVerdict(claim.timeline(), claim.version(), true, List.of(), false);
    }

    public static VersionVerdict stale(long timeline, long currentVersion, List<TimelineItem> freshPage,
                                       boolean complete) {
        return new VersionVerdict(timeline, currentVersion, false, freshPage, complete);
    }

    /** What this verdict adds to a reply body. */
    public long encodedBytes() {
        long bytes = EMPTY_BYTES;
        for (TimelineItem item : freshPage) {
            bytes += item.encodedBytes();
        }
        return bytes;
    }
}
