package org.sediment.router.client;

import java.util.concurrent.CompletableFuture;
import org.sediment.router.config.RouteConfig;
import org.sediment.common.api.ssd.GetReply;
import org.sediment.common.api.ssd.GetRequest;
import org.sediment.common.api.ssd.MultiGetReply;
import org.sediment.common.api.ssd.MultiGetRequest;
import org.sediment.common.api.ssd.MultiPageReply;
import org.sediment.common.api.ssd.MultiPageRequest;
import org.sediment.common.api.ssd.PageReply;
import org.sediment.common.api.ssd.PageRequest;

/**
 * How the client reads from one tier: the seam where the memory tier plugs in beside the SSD
 * tier. Groups are numbered as in the partition map of {@code routes}, the same in every tier
 * (memory groups align with SSD groups), so a feed's requests for one group can go to either
 * tier. Futures fail with {@link SedimentException}, or with {@code SsdCallException} for the
 * SSD tier's own codes (the client turns {@code STALE_ROUTE} into a reload and a retry).
 */
public interface TierReader {

    CompletableFuture<PageReply> page(RouteConfig routes, int group, PageRequest request);

    CompletableFuture<MultiPageReply> pages(RouteConfig routes, int group, MultiPageRequest request);

    CompletableFuture<GetReply> get(RouteConfig routes, int group, GetRequest request);

    CompletableFuture<MultiGetReply> gets(RouteConfig routes, int group, MultiGetRequest request);
}
