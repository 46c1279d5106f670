package org.sediment.common.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sediment.common.time.RandomSource;

class CompressorTest {

    private final RandomSource random = RandomSource.seeded(99);

    @Test
    void everyCompressorRoundTripsEmptyRandomAndRepetitiveInput() {
        for (Compressor compressor : List.of(new SnappyCompressor(), new ZstdCompressor(1), new ZstdCompressor(9))) {
            for (byte[] input : List.of(new byte[0], randomBytes(10_000), block(1000))) {
                byte[] packed = compressor.compress(input);
                assertThat(compressor.decompress(packed, input.length)).as(compressor.name()).isEqualTo(input);
            }
        }
    }

    @Test
    void blocksOfRecordsCompressManyFold() {
        byte[] input = block(1000);
        assertThat(input.length / (double) new ZstdCompressor(3).compress(input).length).isGreaterThan(4);
        assertThat(input.length / (double) new SnappyCompressor().compress(input).length).isGreaterThan(2);
    }

    @Test
    void trainedDictionaryMakesSingleRecordsCompress() {
        List<byte[]> samples = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            samples.add(record(i));
        }
        ZstdDictionary dictionary = ZstdDictionary.train(samples, 16 * 1024);
        ZstdCompressor plain = new ZstdCompressor(3);
        ZstdCompressor withDictionary = new ZstdCompressor(3, dictionary);
        long raw = 0;
        long plainBytes = 0;
        long dictBytes = 0;
        for (int i = 5000; i < 5200; i++) {
            byte[] record = record(i);
            byte[] packed = withDictionary.compress(record);
            assertThat(withDictionary.decompress(packed, record.length)).isEqualTo(record);
            raw += record.length;
            plainBytes += plain.compress(record).length;
            dictBytes += packed.length;
        }
        assertThat(raw / (double) dictBytes).isGreaterThan(2 * raw / (double) plainBytes);
        assertThat(withDictionary.name()).startsWith("zstd-3+dict");
    }

    @Test
    void decompressionIsBoundedAndCorruptionIsTyped() {
        byte[] input = block(100);
        ZstdCompressor zstd = new ZstdCompressor(3);
        assertThatThrownBy(() -> zstd.decompress(zstd.compress(input), input.length - 1))
                .isInstanceOf(CorruptDataException.class).hasMessageContaining("limit " + (input.length - 1));
        SnappyCompressor snappy = new SnappyCompressor();
        assertThatThrownBy(() -> snappy.decompress(snappy.compress(input), 10))
                .isInstanceOf(CorruptDataException.class).hasMessageContaining("limit 10");
        for (int i = 0; i < 500; i++) {
            byte[] garbage = randomBytes(1 + random.nextInt(64));
            assertThatThrownBy(() -> zstd.decompress(garbage, 1 << 20)).isInstanceOf(CorruptDataException.class);
            try {
                snappy.decompress(garbage, 1 << 20); // random bytes are occasionally valid snappy
            } catch (CorruptDataException expected) {
                // typed, as promised
            }
        }
    }

    @Test
    void crc32cMatchesTheStandardCheckValue() {
        // The CRC-32C check value of "123456789" is 0xE3069283 (RFC 3720, appendix B.4).
        assertThat(Crc32c.of("123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0xE3069283);
    }

    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] record(int i) {
        return ("{\"owner\":" + (i * 7919 % 100_000) + ",\"ts\":" + (1_763_700_000_000L + i * 1000L)
                + ",\"kind\":\"" + (i % 3 == 0 ? "payment" : "refund") + "\",\"amount\":" + (i % 977)
                + ",\"currency\":\"CNY\",\"memo\":\"order " + i + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] block(int records) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < records; i++) {
            out.append(new String(record(i), StandardCharsets.UTF_8)).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
