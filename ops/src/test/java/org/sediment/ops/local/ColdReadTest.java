package org.sediment.ops.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sediment.common.api.ssd.ColdLinkCommit;
import org.sediment.common.api.ssd.SsdApi;
import org.sediment.common.api.ssd.WriteReply;
import org.sediment.common.api.ssd.WriteStatus;
import org.sediment.common.block.Block;
import org.sediment.common.block.BlockItem;
import org.sediment.common.block.ColdLink;
import org.sediment.common.block.DiskLayout;
import org.sediment.common.rpc.RpcClient;
import org.sediment.common.rpc.RpcClientConfig;
import org.sediment.hdd.node.HddNode;
import org.sediment.router.client.Cursor;
import org.sediment.router.client.Item;
import org.sediment.router.client.Page;
import org.sediment.router.client.SedimentClient;
import org.sediment.router.client.Written;
import org.sediment.router.config.GroupRoute;
import org.sediment.router.config.Member;
import org.sediment.router.config.RouteConfig;
import org.sediment.router.config.RouteConfigParser;
import org.sediment.router.config.Tier;
import org.sediment.router.hdd.HddGroupWriter;
import org.sediment.router.ssd.SsdGroupClient;

/**
 * Data that sank reads the same through the SDK: a timeline's old items are written as a block
 * to the local cluster's HDD group, the block's cold link is committed in the SSD tier (which
 * then drops the hot rows), and paging the timeline returns every item, newest first, the cold
 * ones fetched from an HDD replica with the link the SSD tier handed out.
 */
class ColdReadTest {
    @TempDir
    Path dir;

    @Test
    void aTimelinePagesAcrossTheSinkBoundaryAsBeforeItSank() throws Exception {
        try (LocalCluster cluster = LocalCluster.start(new LocalCluster.Options(dir, 1, LocalCluster.freeBasePort(1), 0,
                false, 0));
             RpcClient rpc = new RpcClient(RpcClientConfig.defaults(), SedimentClient.REGISTRY)) {
            SedimentClient client = cluster.client();
            long owner = 4242;
            long oldTs = 1_700_000_000_000L;
            List<BlockItem> sunk = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                byte[] value = ("old " + i).getBytes(StandardCharsets.UTF_8);
                Written w = client.append(owner, oldTs + i * 1_000L, value);
                sunk.add(new BlockItem(owner, w.ts(), w.seq(), value));
            }
            for (int i = 0; i < 5; i++) {
                client.append(owner, ("new " + i).getBytes(StandardCharsets.UTF_8));
            }
            List<Item> before = allItems(client, owner);
            assertThat(before).hasSize(35);

            RouteConfig routes = RouteConfigParser.parse(cluster.routesFile());
            List<InetSocketAddress> hdd = cluster.hddNodes().stream().map(HddNode::address).toList();
            ColdLink link = new HddGroupWriter(rpc, new DiskLayout(routes.layout().bucketCount(), HddLocalTier.DISKS), 10_000)
                    .write(0, hdd, new Block(routes.layout().bucketOf(owner), Math.floorDiv(oldTs, routes.layout().windowMillis())), sunk);
            GroupRoute ssd = routes.groupOf(Tier.SSD, owner);
            List<InetSocketAddress> replicas = new ArrayList<>();
            for (Member m : ssd.members()) {
                replicas.add(new InetSocketAddress(m.host(), m.port()));
            }
            SsdGroupClient group = new SsdGroupClient(replicas, rpc, routes.version(), 10_000, 3, 50);
            WriteReply committed = group.callAsync(owner, SsdApi.COMMIT_COLD_LINK,
                    new ColdLinkCommit(owner, -1, oldTs + 30_000L, link)).join();
            assertThat(committed.status()).isEqualTo(WriteStatus.OK);

            assertThat(allItems(client, owner)).as("the same items, now partly from the HDD tier").isEqualTo(before);
            long reads = cluster.hddNodes().stream().mapToLong(n -> n.stats().reads()).sum();
            assertThat(reads).as("the cold part came from an HDD replica").isPositive();
        }
    }

    /** Every item of the timeline, paging 7 at a time. */
    private static List<Item> allItems(SedimentClient client, long owner) {
        List<Item> items = new ArrayList<>();
        Cursor cursor = null;
        do {
            Page page = client.timeline(owner, cursor, 7);
            items.addAll(page.items());
            cursor = page.next();
        } while (cursor != null);
        return items;
    }
}
