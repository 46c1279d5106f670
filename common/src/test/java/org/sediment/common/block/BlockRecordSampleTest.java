package org.sediment.common.block;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.sediment.common.compress.ZstdCompressor;

/**
 * Reads {@code sample-block-v1.bin}, committed when block format 1 was made (BLOCKS.md): if a
 * change makes this fail, the change altered the format, and needs a new format version.
 */
class BlockRecordSampleTest {
    private static final Block SAMPLE = new Block(42, 20_600);

    static List<BlockItem> sampleItems() {
        return BlockRecordTest.chatItems(new SplittableRandom(20261208), 64);
    }

    @Test
    void theCommittedSampleStillDecodesToItsItems() throws Exception {
        byte[] record;
        try (InputStream in = getClass().getResourceAsStream("/sample-block-v1.bin")) {
            assertThat(in).as("the committed sample file").isNotNull();
            record = in.readAllBytes();
        }
        try (ZstdCompressor zstd = new ZstdCompressor(3)) {
            BlockRecord.Header header = BlockRecord.header(record);
            assertThat(header.block()).isEqualTo(SAMPLE);
            assertThat(header.codec()).isEqualTo(BlockRecord.Codec.ZSTD);
            assertThat(BlockRecord.decode(record, zstd)).isEqualTo(sampleItems());
        }
    }

    /** Writes the sample: run once, with {@code -Dsediment.write-sample=DIR}, when a format is made. */
    @Test
    @EnabledIfSystemProperty(named = "sediment.write-sample", matches = ".+")
    void writeTheSample() throws Exception {
        try (ZstdCompressor zstd = new ZstdCompressor(3)) {
            Files.write(Path.of(System.getProperty("sediment.write-sample")).resolve("sample-block-v1.bin"),
                    BlockRecord.encode(SAMPLE, sampleItems(), zstd).bytes());
        }
    }
}
