package org.sediment.common.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sediment.common.compress.CorruptDataException;
import org.sediment.common.compress.SnappyCompressor;
import org.sediment.common.compress.ZstdCompressor;

class BlockRecordTest {
    private final ZstdCompressor zstd = new ZstdCompressor(3);

    @Test
    void aBlockRoundTripsAndItsHeaderSaysWhatItHolds() {
        List<BlockItem> items = chatItems(new SplittableRandom(1), 500);
        BlockRecord.Encoded encoded = BlockRecord.encode(new Block(7, 2_900), items, zstd);
        assertThat(BlockRecord.decode(encoded.bytes(), zstd)).isEqualTo(items);
        BlockRecord.Header header = BlockRecord.header(encoded.bytes());
        assertThat(header).isEqualTo(encoded.header());
        assertThat(header.block()).isEqualTo(new Block(7, 2_900));
        assertThat(header.itemCount()).isEqualTo(500);
        assertThat(header.codec()).isEqualTo(BlockRecord.Codec.ZSTD);
        assertThat(header.recordBytes()).isEqualTo(encoded.bytes().length);
        assertThat(header.minTs()).isEqualTo(items.stream().mapToLong(BlockItem::ts).min().orElseThrow());
    }

    @Test
    void incompressibleItemsAreStoredRaw() {
        SplittableRandom random = new SplittableRandom(2);
        byte[] noise = new byte[4_000];
        random.nextBytes(noise);
        BlockRecord.Encoded encoded = BlockRecord.encode(new Block(1, 1), List.of(new BlockItem(5, 1_000, 1, noise)), zstd);
        assertThat(encoded.header().codec()).isEqualTo(BlockRecord.Codec.RAW);
        assertThat(BlockRecord.decode(encoded.bytes(), zstd)).containsExactly(new BlockItem(5, 1_000, 1, noise));
    }

    @Test
    void everyDamagedByteIsDetectedNeverDecodedIntoOtherItems() {
        List<BlockItem> items = chatItems(new SplittableRandom(3), 40);
        byte[] record = BlockRecord.encode(new Block(2, 9), items, zstd).bytes();
        for (int i = 0; i < record.length; i++) {
            byte[] damaged = record.clone();
            damaged[i] ^= 0x10;
            assertThatThrownBy(() -> BlockRecord.decode(damaged, zstd)).as("byte %d", i)
                    .isInstanceOf(CorruptDataException.class);
        }
        byte[] torn = java.util.Arrays.copyOf(record, record.length - 1);
        assertThatThrownBy(() -> BlockRecord.decode(torn, zstd)).isInstanceOf(CorruptDataException.class);
    }

    @Test
    void aHeaderThatClaimsMoreItemsThanItsBytesHoldIsRefusedBeforeAnythingIsAllocated() {
        byte[] record = BlockRecord.encode(new Block(2, 9), chatItems(new SplittableRandom(5), 3), zstd).bytes();
        java.nio.ByteBuffer.wrap(record).putInt(20, Integer.MAX_VALUE); // item count, with a CRC to match
        java.nio.ByteBuffer.wrap(record).putInt(BlockRecord.HEADER_BYTES - 4,
                org.sediment.common.compress.Crc32c.of(record, 0, BlockRecord.HEADER_BYTES - 4));
        assertThatThrownBy(() -> BlockRecord.decode(record, zstd)).isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("out of range");
    }

    /**
     * What zstd saves on realistic items (chat messages: short, similar texts), against snappy
     * and raw. Printed for BENCHMARKS.md; asserted only loosely, as a floor.
     */
    @Test
    void zstdPaysOnRealisticItems() {
        List<BlockItem> items = chatItems(new SplittableRandom(4), 2_000);
        BlockRecord.Encoded encoded = BlockRecord.encode(new Block(3, 4), items, zstd);
        int raw = encoded.header().rawBytes();
        byte[] plain = java.util.Arrays.copyOfRange(rawOf(items), 0, raw);
        int snappy = new SnappyCompressor().compress(plain).length;
        System.out.printf("block of %d chat items: raw %d B, snappy %d B (%.2f×), zstd-3 %d B (%.2f×)%n", items.size(),
                raw, snappy, (double) raw / snappy, encoded.header().storedBytes(),
                (double) raw / encoded.header().storedBytes());
        assertThat(encoded.header().storedBytes()).isLessThan(snappy).isLessThan(raw / 2);
    }

    private static byte[] rawOf(List<BlockItem> items) {
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(4 + items.stream().mapToInt(BlockItem::encodedBytes).sum());
        out.putInt(items.size());
        for (BlockItem item : items) {
            out.putLong(item.owner()).putLong(item.ts()).putInt(item.seq()).putInt(item.value().length).put(item.value());
        }
        return out.array();
    }

    /** Chat-archive items: a few senders, phrases from a small vocabulary, JSON-ish envelopes. */
    static List<BlockItem> chatItems(SplittableRandom random, int count) {
        String[] words = {"ok", "see", "you", "at", "the", "station", "tomorrow", "lunch", "meeting", "moved", "to",
            "thanks", "sure", "send", "me", "the", "file", "photo", "call", "later", "happy", "new", "year", "red",
            "packet", "received", "on", "my", "way"};
        List<BlockItem> items = new ArrayList<>(count);
        long ts = 1_780_000_000_000L;
        for (int i = 0; i < count; i++) {
            StringBuilder text = new StringBuilder();
            for (int w = 0; w < 3 + random.nextInt(12); w++) {
                text.append(words[random.nextInt(words.length)]).append(' ');
            }
            String json = "{\"from\":\"user-" + random.nextInt(50) + "\",\"type\":\"text\",\"text\":\"" + text.toString().strip()
                    + "\",\"client\":\"android-8." + random.nextInt(3) + "\"}";
            ts += random.nextInt(60_000);
            items.add(new BlockItem(random.nextLong(1_000), ts, random.nextInt(), json.getBytes(StandardCharsets.UTF_8)));
        }
        return items;
    }
}
