package org.sediment.common.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * The message types one endpoint understands, looked up by wire id on every decoded frame.
 * Immutable once built; the {@linkplain BuiltinMessages built-in} types are always present, so
 * error replies and pings work in every process.
 */
public final class MessageRegistry {
    private final MessageType<?>[] byId;
    private final List<MessageType<?>> types;

    private MessageRegistry(List<MessageType<?>> types) {
        int maxId = 0;
        for (MessageType<?> type : types) {
            maxId = Math.max(maxId, type.id());
        }
        this.byId = new MessageType<?>[maxId + 1];
        for (MessageType<?> type : types) {
            if (byId[type.id()] != null) {
                throw new IllegalArgumentException("message type id " + type.id() + " registered twice: "
                        + byId[type.id()].name() + " and " + type.name());
            }
            byId[type.id()] = type;
        }
        this.types = List.copyOf(types);
    }

    /** A registry of the built-in types only. */
    public static MessageRegistry builtinsOnly() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The type with this wire id, or {@code null} if this endpoint does not know it. */
    public MessageType<?> find(int id) {
        return id >= 0 && id < byId.length ? byId[id] : null;
    }

    public List<MessageType<?>> types() {
        return types;
    }

    /** Collects types; duplicate ids fail at {@link #build()} with both names in the message. */
    public static final class Builder {
        private final List<MessageType<?>> types = new ArrayList<>(BuiltinMessages.ALL);

        private Builder() {
        }

        public Builder register(MessageType<?> type) {
            types.add(type);
            return this;
        }

        public Builder registerAll(List<? extends MessageType<?>> more) {
            types.addAll(more);
            return this;
        }

        public MessageRegistry build() {
            return new MessageRegistry(types);
        }
    }
}
