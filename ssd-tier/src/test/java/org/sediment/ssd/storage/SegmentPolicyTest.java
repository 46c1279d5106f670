package org.sediment.ssd.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SegmentPolicyTest {

    @Test
    void replicasOfAGroupGetDistinctMemtableSizesAndOtherwiseTheSamePolicy() {
        SegmentPolicy weekly = SegmentPolicy.weekly();

        SegmentPolicy first = weekly.staggeredFor(0);
        SegmentPolicy second = weekly.staggeredFor(1);
        SegmentPolicy third = weekly.staggeredFor(2);

        assertThat(first).isEqualTo(weekly);
        assertThat(second.writeBufferBytes()).isEqualTo(weekly.writeBufferBytes() * 130 / 100);
        assertThat(third.writeBufferBytes()).isEqualTo(weekly.writeBufferBytes() * 160 / 100);
        assertThat(new SegmentPolicy(third.segmentMillis(), third.hotSegments(), third.hotBlockBytes(),
                third.coldBlockBytes(), third.hotCompression(), third.coldCompression(), weekly.writeBufferBytes(),
                third.blockCacheBytes(), third.separateValuesFromBytes(), third.maxOpenSegments())).isEqualTo(weekly);
    }

    @Test
    void staggeringStopsAtTheLargestMemtableAndRefusesANegativeIndex() {
        assertThat(SegmentPolicy.weekly().staggeredFor(100_000).writeBufferBytes()).isEqualTo(1 << 30);
        assertThatThrownBy(() -> SegmentPolicy.weekly().staggeredFor(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("replicaIndex");
    }

    @Test
    void theMetaMemtableIsAnEighthOfTheItemsOneStaggeredAlikeAndNeverBelowTheSmallestMemtable() {
        SegmentPolicy weekly = SegmentPolicy.weekly();
        SegmentPolicy large = withWriteBuffer(weekly, 4 << 20);

        assertThat(large.metaWriteBufferBytes()).isEqualTo(512 * 1024);
        assertThat(large.staggeredFor(2).metaWriteBufferBytes()).isEqualTo(large.staggeredFor(2).writeBufferBytes() / 8);
        assertThat(weekly.writeBufferBytes()).isEqualTo(128 * 1024);
        assertThat(weekly.metaWriteBufferBytes()).isEqualTo(64 * 1024);
        assertThat(withWriteBuffer(weekly, 64 * 1024).metaWriteBufferBytes()).isEqualTo(64 * 1024);
    }

    @Test
    void atMost32SegmentsAreOpenByDefaultAndABoundMustLeaveRoomBeyondTheHotOnes() {
        SegmentPolicy weekly = SegmentPolicy.weekly();

        assertThat(weekly.maxOpenSegments()).isEqualTo(32);
        assertThat(weekly.staggeredFor(2).maxOpenSegments()).isEqualTo(32);
        assertThat(weekly.withMaxOpenSegments(6).maxOpenSegments()).isEqualTo(6);
        assertThatThrownBy(() -> weekly.withMaxOpenSegments(5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxOpenSegments must be in [hotSegments + 4 = 6, 4096], got 5");
        assertThatThrownBy(() -> weekly.withMaxOpenSegments(4097))
                .hasMessage("maxOpenSegments must be in [hotSegments + 4 = 6, 4096], got 4097");
    }

    private static SegmentPolicy withWriteBuffer(SegmentPolicy policy, int bytes) {
        return new SegmentPolicy(policy.segmentMillis(), policy.hotSegments(), policy.hotBlockBytes(),
                policy.coldBlockBytes(), policy.hotCompression(), policy.coldCompression(), bytes,
                policy.blockCacheBytes(), policy.separateValuesFromBytes(), policy.maxOpenSegments());
    }
}
