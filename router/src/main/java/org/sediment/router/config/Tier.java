package org.sediment.router.config;

/** The three storage tiers, as named in a route config. */
public enum Tier {
    MEMORY("memory", false),
    SSD("ssd", true),
    HDD("hdd", true);

    private final String key;
    private final boolean replicatedAcrossCampuses;

    Tier(String key, boolean replicatedAcrossCampuses) {
        this.key = key;
        this.replicatedAcrossCampuses = replicatedAcrossCampuses;
    }

    /** The tier's key in the YAML document. */
    public String key() {
        return key;
    }

    /** SSD and HDD groups hold one replica per campus; memory groups are caches and need not. */
    public boolean replicatedAcrossCampuses() {
        return replicatedAcrossCampuses;
    }
}
