package org.sediment.common.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sediment.common.key.ItemKey;
import org.sediment.common.testing.Seeds;

@ExtendWith(Seeds.class)
class ColdLinkTest {

    @Test
    void randomLinksSurviveEncodeAndDecode() {
        SplittableRandom random = new SplittableRandom(Seeds.seed());
        for (int i = 0; i < 10_000; i++) {
            ColdLink link = random(random);
            byte[] bytes = link.encode();
            assertThat(bytes).hasSize(ColdLink.ENCODED_BYTES);
            assertThat(ColdLink.decode(bytes)).isEqualTo(link);
        }
    }

    @Test
    void extremesSurvive() {
        ColdLink max = new ColdLink(Integer.MAX_VALUE, Integer.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE,
                Integer.MAX_VALUE, -1, Integer.MAX_VALUE, ItemKey.MAX_TS, ItemKey.MAX_TS);
        ColdLink min = new ColdLink(0, 0, 0, 0, 1, 0, 0, 0, 0);
        assertThat(ColdLink.decode(max.encode())).isEqualTo(max);
        assertThat(ColdLink.decode(min.encode())).isEqualTo(min);
    }

    @Test
    void invalidFieldsAreRejectedWithTheirReason() {
        assertThatIllegalArgumentException().isThrownBy(() -> new ColdLink(-1, 0, 0, 0, 1, 0, 0, 0, 0))
                .withMessage("hddGroup must be ≥ 0, got -1");
        assertThatIllegalArgumentException().isThrownBy(() -> new ColdLink(0, -1, 0, 0, 1, 0, 0, 0, 0))
                .withMessage("disk must be ≥ 0, got -1");
        assertThatIllegalArgumentException().isThrownBy(() -> new ColdLink(0, 0, 0, -1, 1, 0, 0, 0, 0))
                .withMessage("offset must be ≥ 0, got -1");
        assertThatIllegalArgumentException().isThrownBy(() -> new ColdLink(0, 0, 0, 0, 0, 0, 0, 0, 0))
                .withMessage("length must be ≥ 1, got 0");
        assertThatIllegalArgumentException().isThrownBy(() -> new ColdLink(0, 0, 0, 0, 1, 0, -1, 0, 0))
                .withMessage("itemCount must be ≥ 0, got -1");
        assertThatIllegalArgumentException().isThrownBy(() -> new ColdLink(0, 0, 0, 0, 1, 0, 0, 5, 4))
                .withMessageContaining("got [5, 4]");
        assertThatIllegalArgumentException().isThrownBy(() -> new ColdLink(0, 0, 0, 0, 1, 0, 0, -1, 4))
                .withMessageContaining("got [-1, 4]");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ColdLink(0, 0, 0, 0, 1, 0, 0, 0, ItemKey.MAX_TS + 1));
    }

    @Test
    void wrongLengthUnknownFormatAndInvalidFieldsAreRejectedOnDecode() {
        byte[] good = new ColdLink(3, 2, 9, 100, 4096, 77, 12, 1_000, 2_000).encode();
        assertThatIllegalArgumentException().isThrownBy(() -> ColdLink.decode(new byte[0]))
                .withMessage("a cold link is " + ColdLink.ENCODED_BYTES + " bytes, got 0");
        byte[] longer = new byte[good.length + 1];
        System.arraycopy(good, 0, longer, 0, good.length);
        assertThatIllegalArgumentException().isThrownBy(() -> ColdLink.decode(longer));
        byte[] otherFormat = good.clone();
        otherFormat[0] = 2;
        assertThatIllegalArgumentException().isThrownBy(() -> ColdLink.decode(otherFormat))
                .withMessage("unknown cold link format 2, this build reads 1");
        byte[] negativeLength = good.clone();
        ByteBuffer.wrap(negativeLength).putInt(1 + 4 + 4 + 8 + 8, -4096);
        assertThatIllegalArgumentException().isThrownBy(() -> ColdLink.decode(negativeLength))
                .withMessage("length must be ≥ 1, got -4096");
    }

    static ColdLink random(SplittableRandom random) {
        long minTs = random.nextLong(ItemKey.MAX_TS + 1);
        long maxTs = random.nextLong(minTs, ItemKey.MAX_TS + 1);
        return new ColdLink(random.nextInt(Integer.MAX_VALUE), random.nextInt(64), random.nextLong(),
                random.nextLong(Long.MAX_VALUE), 1 + random.nextInt(Integer.MAX_VALUE - 1), random.nextInt(),
                random.nextInt(Integer.MAX_VALUE), minTs, maxTs);
    }
}
