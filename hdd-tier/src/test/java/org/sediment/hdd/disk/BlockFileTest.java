package org.sediment.hdd.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockFileTest {
    @TempDir
    Path dir;

    @Test
    void reservationsAppendWritesLandWhereReservedAndEachReadIsOnePositionedRead() throws Exception {
        Path path = dir.resolve("w1.blocks");
        byte[] a = "first record".getBytes();
        byte[] b = "second, longer record".getBytes();
        try (BlockFile file = BlockFile.open(path)) {
            long atA = file.reserve(a.length);
            long atB = file.reserve(b.length);
            assertThat(atA).isZero();
            assertThat(atB).isEqualTo(a.length);
            file.write(atB, b); // out of order: each write goes where its reservation is
            file.write(atA, a);
            assertThat(file.read(atA, a.length)).isEqualTo(a);
            assertThat(file.read(atB, b.length)).isEqualTo(b);
            assertThat(file.readCalls.sum()).isEqualTo(2);
            assertThat(file.read(atB, b.length + 10)).as("past the end: what there is").isEqualTo(b);
            assertThatIllegalArgumentException().isThrownBy(() -> file.write(atB + b.length, a))
                    .withMessageContaining("outside every reservation");
        }
        try (BlockFile reopened = BlockFile.open(path)) {
            assertThat(reopened.reserve(4)).as("after a restart, the next record starts at the end").isEqualTo(a.length + b.length);
            assertThat(reopened.read(0, a.length)).isEqualTo(a);
        }
    }
}
