package org.sediment.ssd.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sediment.common.api.ssd.ColdLinkCommit;
import org.sediment.common.api.ssd.ColdRoute;
import org.sediment.common.api.ssd.ColdRouteUpdate;
import org.sediment.common.api.ssd.GetReply;
import org.sediment.common.api.ssd.GetRequest;
import org.sediment.common.api.ssd.PageReply;
import org.sediment.common.api.ssd.PageRequest;
import org.sediment.common.api.ssd.ReadMode;
import org.sediment.common.api.ssd.SsdApi;
import org.sediment.common.api.ssd.TimelineItem;
import org.sediment.common.api.ssd.WriteKind;
import org.sediment.common.api.ssd.WriteReply;
import org.sediment.common.api.ssd.WriteRequest;
import org.sediment.common.api.ssd.WriteStatus;
import org.sediment.common.block.ColdLink;
import org.sediment.common.rpc.CallOptions;
import org.sediment.common.rpc.RpcClient;
import org.sediment.common.rpc.RpcClientConfig;
import org.sediment.common.rpc.RpcOutcome;
import org.sediment.router.ssd.SsdGroupClient;

/**
 * Reads of data that sank, over the wire of a running 3-replica group: once a cold link is
 * committed, its items are gone from the SSD tier, and a page or a get that reaches them gets the
 * link and the cold replicas' addresses instead of rows.
 */
class SsdNodeColdReadTest {
    private static final long TIMELINE = 21;

    @TempDir
    Path dir;

    @Test
    void readsOfSunkItemsGetTheLinkAndTheColdReplicasInsteadOfRows() throws Exception {
        try (EmbeddedSsdGroup group = EmbeddedSsdGroup.start(12, 3, dir, c -> c);
             RpcClient rpc = new RpcClient(RpcClientConfig.defaults(), SsdNode.registry())) {
            for (int i = 0; i < 3; i++) {
                group.node(i).awaitReady(30_000);
            }
            SsdGroupClient client = new SsdGroupClient(group.addresses(), rpc, 0, 10_000, 2, 50);
            for (int i = 0; i < 10; i++) {
                WriteReply reply = client.write(new WriteRequest(TIMELINE, WriteKind.APPEND, -1, 1_000 + i, 0,
                        new byte[] {(byte) i}));
                assertThat(reply.status()).isEqualTo(WriteStatus.OK);
            }
            // The items at ts 1,000-1,004 sank into one block of HDD group 4.
            ColdLink link = new ColdLink(4, 1, 77, 4096, 300, 0x1234, 5, 1_000, 1_004);
            ColdRoute route = new ColdRoute(4, List.of("10.0.0.1:7100", "10.0.0.2:7100", "10.0.0.3:7100"));
            for (int i = 0; i < 3; i++) {
                RpcOutcome<?> ack = rpc.call(group.addresses().get(i), SsdApi.UPDATE_COLD_ROUTES,
                        new ColdRouteUpdate(List.of(route)), CallOptions.of(0, 10_000)).join();
                assertThat(ack).isInstanceOf(RpcOutcome.Success.class);
            }
            RpcOutcome<WriteReply> commit = rpc.call(group.addresses().get(client.firstReplica(TIMELINE)),
                    SsdApi.COMMIT_COLD_LINK, new ColdLinkCommit(TIMELINE, 10, 1_005, link), CallOptions.of(0, 10_000)).join();
            assertThat(commit).isInstanceOfSatisfying(RpcOutcome.Success.class,
                    s -> assertThat(((WriteReply) s.body()).status()).isEqualTo(WriteStatus.OK));

            PageReply page = client.page(new PageRequest(TIMELINE, ReadMode.STRONG, true, 0, 0, 100));
            assertThat(page.items()).extracting(TimelineItem::ts).containsExactly(1_009L, 1_008L, 1_007L, 1_006L, 1_005L);
            assertThat(page.coldLinks()).containsExactly(link);
            assertThat(page.coldRoutes()).containsExactly(route);

            // Whatever its seq: no item at that ts is in the SSD tier any more.
            GetReply sunk = client.get(new GetRequest(TIMELINE, ReadMode.STRONG, 1_002, 0));
            assertThat(sunk.found()).isFalse();
            assertThat(sunk.coldLink()).isEqualTo(link);
            assertThat(sunk.coldRoute()).isEqualTo(route);

            GetReply hot = client.get(new GetRequest(TIMELINE, ReadMode.STRONG, 1_007, page.items().get(2).seq()));
            assertThat(hot.found()).isTrue();
            assertThat(hot.value()).containsExactly(7);

            GetReply absent = client.get(new GetRequest(TIMELINE, ReadMode.STRONG, 1_008, 12345));
            assertThat(absent.found()).isFalse();
            assertThat(absent.coldLink()).as("ts 1,008 never sank").isNull();
        }
    }
}
