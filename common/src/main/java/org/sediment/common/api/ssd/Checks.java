package org.sediment.common.api.ssd;

import java.util.List;
import org.sediment.common.key.ItemKey;

/**
 * Constructor checks shared by the SSD API records. A failed check throws
 * {@link IllegalArgumentException}, which a codec reading a hostile body turns into a
 * {@code BAD_FRAME} reply. Messages are built only on failure: these run on every decode.
 */
final class Checks {

    private Checks() {
    }

    static void notNull(Object value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
    }

    static void ts(long ts, String what) {
        if (ts < ItemKey.MIN_TS || ts > ItemKey.MAX_TS) {
            throw new IllegalArgumentException(
                    what + " " + ts + " out of range [" + ItemKey.MIN_TS + ", " + ItemKey.MAX_TS + "] epoch-ms");
        }
    }

    static void version(long version, String what) {
        if (version < 0) {
            throw new IllegalArgumentException(what + " must be ≥ 0, got " + version);
        }
    }

    static void ifVersion(long ifVersion) {
        if (ifVersion < SsdApi.UNCONDITIONAL) {
            throw new IllegalArgumentException("ifVersion must be " + SsdApi.UNCONDITIONAL
                    + " (unconditional) or a version ≥ 0, got " + ifVersion);
        }
    }

    static void value(byte[] value) {
        notNull(value, "value");
        if (value.length > SsdApi.MAX_VALUE_BYTES) {
            throw new IllegalArgumentException(
                    "value of " + value.length + " bytes exceeds the limit of " + SsdApi.MAX_VALUE_BYTES);
        }
    }

    static void range(int value, int min, int max, String what) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " must be in [" + min + ", " + max + "], got " + value);
        }
    }

    /** An immutable copy, checked for nulls and for its size. */
    static <T> List<T> list(List<T> list, int max, String what) {
        notNull(list, what);
        if (list.size() > max) {
            throw new IllegalArgumentException(what + ": " + list.size() + " elements, at most " + max);
        }
        for (T element : list) {
            if (element == null) {
                throw new IllegalArgumentException(what + " must not hold null");
            }
        }
        return List.copyOf(list);
    }

    /** Pages run newest first, each item strictly older than the one before (timeline order). */
    static void newestFirst(List<TimelineItem> items, String what) {
        for (int i = 1; i < items.size(); i++) {
            if (TimelineItem.NEWEST_FIRST.compare(items.get(i - 1), items.get(i)) >= 0) {
                throw new IllegalArgumentException(what + " must run newest first without repeats: "
                        + items.get(i - 1) + " then " + items.get(i));
            }
        }
    }

    static void fitsOneFrame(long encodedBytes, String what) {
        if (encodedBytes > SsdApi.MAX_BODY_BYTES) {
            throw new IllegalArgumentException(what + " of " + encodedBytes
                    + " bytes does not fit one frame body of " + SsdApi.MAX_BODY_BYTES);
        }
    }
}
