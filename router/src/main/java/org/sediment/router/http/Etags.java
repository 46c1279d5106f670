package org.sediment.router.http;

/**
 * A timeline's version as an entity tag: {@code "7"}. {@code If-Match} with one turns a write into
 * a compare-and-set: it applies only if nothing was written to the timeline after that version.
 */
final class Etags {
    private Etags() {
    }

    static String of(long version) {
        return "\"" + version + "\"";
    }

    /**
     * The version an {@code If-Match} header names, or -1 for none or {@code *} (the write is
     * unconditional: a timeline always exists, empty at version 0).
     */
    static long ifMatch(String header) {
        if (header == null || header.isBlank() || header.trim().equals("*")) {
            return -1;
        }
        String tag = header.trim();
        if (tag.startsWith("W/")) {
            tag = tag.substring(2);
        }
        if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
            tag = tag.substring(1, tag.length() - 1);
        }
        try {
            long version = Long.parseLong(tag);
            if (version >= 0) {
                return version;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiProblem.badRequest("malformed-if-match", "If-Match must be one entity tag this API gave out, like \"7\"; got "
                + header);
    }
}
