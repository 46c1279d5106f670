package org.sediment.common.api.ssd;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.sediment.common.block.ColdLink;

/**
 * A page of a timeline at {@code version}. {@code items} are the hot items of the page, newest
 * first. When the page reaches data that sank to the cold tier, the rest of it is given as
 * {@code coldLinks} (newest block first) instead of rows, with the {@code coldRoutes} of the
 * cold groups those links name; the reader fetches the blocks itself. A route the SSD tier does
 * not know is left out, so a reader must handle a link without a route.
 *
 * <p>The whole reply fits one frame body ({@link SsdApi#MAX_BODY_BYTES}): a server stops adding
 * items before the budget runs out, using {@link #EMPTY_BYTES} and the parts' {@code
 * encodedBytes()}, and the reader continues from the last item it got.
 *
 * @param cut true when the items stopped at that budget, before the limit, with more hot items
 *            older than the last one; a page that is not cut, has no cold links and holds fewer
 *            items than asked reached the timeline's oldest item
 */
public record PageReply(long version, List<TimelineItem> items, List<ColdLink> coldLinks,
                        List<ColdRoute> coldRoutes, boolean cut) {

    /** A reply with no items, links or routes: the version, three counts and the cut flag. */
    public static final int EMPTY_BYTES = 8 + 4 + 4 + 4 + 1;

    /** A page that holds all it could: not cut. */
    public PageReply(long version, List<TimelineItem> items, List<ColdLink> coldLinks, List<ColdRoute> coldRoutes) {
        this(version, items, coldLinks, coldRoutes, false);
    }

    public PageReply {
        Checks.version(version, "version");
        items = Checks.list(items, SsdApi.MAX_PAGE_ITEMS, "items");
        coldLinks = Checks.list(coldLinks, SsdApi.MAX_PAGE_COLD_LINKS, "coldLinks");
        coldRoutes = Checks.list(coldRoutes, SsdApi.MAX_PAGE_COLD_LINKS, "coldRoutes");
        Checks.newestFirst(items, "items");
        Set<Integer> linkedGroups = new HashSet<>();
        for (ColdLink link : coldLinks) {
            linkedGroups.add(link.hddGroup());
        }
        Set<Integer> routedGroups = new HashSet<>();
        for (ColdRoute route : coldRoutes) {
            if (!linkedGroups.contains(route.hddGroup()) || !routedGroups.add(route.hddGroup())) {
                throw new IllegalArgumentException("cold group " + route.hddGroup()
                        + " is routed twice or named by no link of the page");
            }
        }
        Checks.fitsOneFrame(encodedBytes(items, coldLinks, coldRoutes), "a page reply");
        if (cut && (items.isEmpty() || !coldLinks.isEmpty())) {
            throw new IllegalArgumentException("only a page with items and without cold links can be cut");
        }
    }

    public static PageReply ofItems(long version, List<TimelineItem> items) {
        return new PageReply(version, items, List.of(), List.of());
    }

    /** The body size of a reply with these parts. */
    public static long encodedBytes(List<TimelineItem> items, List<ColdLink> coldLinks, List<ColdRoute> coldRoutes) {
        long bytes = EMPTY_BYTES + (long) coldLinks.size() * ColdLink.ENCODED_BYTES;
        for (TimelineItem item : items) {
            bytes += item.encodedBytes();
        }
        for (ColdRoute route : coldRoutes) {
            bytes += route.encodedBytes();
        }
        return bytes;
    }
}
