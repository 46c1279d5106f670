package org.sediment.router.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.sediment.common.key.ItemKey;

class CursorTest {

    @Test
    void aCursorSurvivesItsTextForm() {
        Cursor timeline = Cursor.timeline(-7L, 1_700_000_000_123L, -1);
        assertThat(Cursor.decode(timeline.encode(), Cursor.Kind.TIMELINE)).isEqualTo(timeline);
        Cursor feed = Cursor.feed(42, ItemKey.MAX_TS, 0);
        assertThat(Cursor.decode(feed.encode(), Cursor.Kind.FEED)).isEqualTo(feed);
        assertThat(timeline.encode()).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void aMangledOrForeignCursorIsRefusedAsInvalid() {
        String good = Cursor.timeline(5, 1_000, 3).encode();
        char flipped = good.charAt(10) == 'A' ? 'B' : 'A';
        String damaged = good.substring(0, 10) + flipped + good.substring(11);
        assertInvalid(damaged, "checksum");
        assertInvalid("not a cursor!", "base64url");
        assertInvalid(Base64.getUrlEncoder().encodeToString(new byte[7]), "wrong length");
        assertInvalid(Cursor.feed(5, 1_000, 3).encode(), "feed cursor");
        assertInvalid("", "wrong length");
    }

    @Test
    void justNewerIncludesTheCursorsOwnPositionInStrictlyOlderThan() {
        Cursor c = Cursor.timeline(1, 1_000, 7);
        assertThat(c.justNewer()).isEqualTo(Cursor.timeline(1, 1_000, 8));
        assertThat(Cursor.timeline(1, 1_000, -1).justNewer()).isEqualTo(Cursor.timeline(1, 1_001, 0));
        assertThat(Cursor.timeline(1, ItemKey.MAX_TS, -1).justNewer()).isNull();
    }

    private static void assertInvalid(String text, String why) {
        assertThatThrownBy(() -> Cursor.decode(text, Cursor.Kind.TIMELINE))
                .isInstanceOfSatisfying(SedimentException.class,
                        e -> assertThat(e.reason()).isEqualTo(SedimentException.Reason.INVALID))
                .hasMessageContaining(why);
    }
}
