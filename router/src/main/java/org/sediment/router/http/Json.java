package org.sediment.router.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.sediment.router.client.Item;

/** The API's JSON shapes. Values travel as UTF-8 text ({@code value}) or, when not text, as {@code valueBase64}. */
final class Json {
    private Json() {
    }

    /** A write's body: exactly one of {@code value} and {@code valueBase64}; {@code ts} optional (default: now). */
    record ValueBody(String value, String valueBase64, Long ts) {
    }

    record WrittenView(long ts, long seq, long version) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ItemView(String owner, long ts, long seq, String value, String valueBase64, Long version) {
    }

    record PageView(List<ItemView> items, String next, long version) {
    }

    record FeedView(List<ItemView> items, String next) {
    }

    static ItemView item(Item item, boolean withOwner, Long version) {
        String text = utf8(item.value());
        return new ItemView(withOwner ? Long.toUnsignedString(item.owner()) : null, item.ts(),
                Integer.toUnsignedLong(item.seq()), text, text == null ? Base64.getEncoder().encodeToString(item.value()) : null,
                version);
    }

    static List<ItemView> items(List<Item> items, boolean withOwner) {
        List<ItemView> views = new ArrayList<>(items.size());
        for (Item item : items) {
            views.add(item(item, withOwner, null));
        }
        return views;
    }

    /** The value as text if it is valid UTF-8, else null. */
    private static String utf8(byte[] value) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(value)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
