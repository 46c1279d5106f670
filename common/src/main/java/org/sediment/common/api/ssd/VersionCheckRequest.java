package org.sediment.common.api.ssd;

import java.util.List;

/**
 * The memory tier's batched freshness check (DESIGN §4): for each claim, is the cached version
 * still the timeline's current one? Checked as strong reads, since a cache must never serve
 * stale data. Answered by a {@link VersionCheckReply} with one verdict per claim, in order.
 *
 * @param claims    1 to {@link SsdApi#MAX_VERSION_CLAIMS}
 * @param pageLimit the most items of a fresh page for a stale claim, in [1, {@link SsdApi#MAX_PAGE_ITEMS}]
 */
public record VersionCheckRequest(List<VersionClaim> claims, int pageLimit) {

    public VersionCheckRequest {
        claims = Checks.list(claims, SsdApi.MAX_VERSION_CLAIMS, "claims");
        if (claims.isEmpty()) {
            throw new IllegalArgumentException("a version check needs at least one claim");
        }
        Checks.range(pageLimit, 1, SsdApi.MAX_PAGE_ITEMS, "pageLimit");
    }
}
