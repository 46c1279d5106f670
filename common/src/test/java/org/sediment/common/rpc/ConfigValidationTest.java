package org.sediment.common.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.sediment.common.testing.Blob;
import org.sediment.common.wire.BuiltinMessages;
import org.sediment.common.wire.FrameLimits;
import org.sediment.common.wire.MessageRegistry;
import org.sediment.common.wire.MessageType;

/** Limits fail at construction, with the exact message an operator will read. */
class ConfigValidationTest {

    @Test
    void frameLimits() {
        assertThatIllegalArgumentException().isThrownBy(() -> new FrameLimits(27))
                .withMessage("maxFrameBytes must be in [28, 67108864], got 27");
        assertThatIllegalArgumentException().isThrownBy(() -> new FrameLimits(64 * 1024 * 1024 + 1))
                .withMessage("maxFrameBytes must be in [28, 67108864], got 67108865");
    }

    @Test
    void serverConfig() {
        RpcServerConfig ok = RpcServerConfig.loopback(0);
        assertThatIllegalArgumentException().isThrownBy(() -> new RpcServerConfig(" ", 0, 4096, 1, 1, 1024))
                .withMessage("bindHost must not be blank");
        assertThatIllegalArgumentException().isThrownBy(() -> ok.withPort(65_536))
                .withMessage("port must be in [0, 65535], got 65536");
        assertThatIllegalArgumentException().isThrownBy(() -> ok.withMaxQueuedRequests(0))
                .withMessage("maxQueuedRequests must be at least 1, got 0");
        assertThatIllegalArgumentException().isThrownBy(() -> ok.withMaxFrameBytes(10))
                .withMessage("maxFrameBytes must be in [28, 67108864], got 10");
        assertThatIllegalArgumentException().isThrownBy(() -> new RpcServerConfig("h", 0, 4096, 1, 0, 1024))
                .withMessage("ioThreads must be at least 1, got 0");
        assertThatIllegalArgumentException().isThrownBy(() -> new RpcServerConfig("h", 0, 4096, 1, 1, 55))
                .withMessage("writeBufferHighBytes must be at least 56, got 55");
        assertThatIllegalArgumentException().isThrownBy(() -> ok.withIdleTimeoutMs(0))
                .withMessage("idleTimeoutMs must be at least 1, got 0");
        assertThatIllegalArgumentException().isThrownBy(() -> ok.withFrameTimeoutMs(0))
                .withMessage("frameTimeoutMs must be at least 1, got 0");
        assertThatIllegalArgumentException().isThrownBy(() -> ok.withMaxConnections(0))
                .withMessage("maxConnections must be at least 1, got 0");
    }

    @Test
    void serverConfigWithoutConnectionBoundsTakesTheDefaults() {
        RpcServerConfig config = new RpcServerConfig("h", 0, 4096, 1, 1, 1024);
        assertThat(config.idleTimeoutMs()).isEqualTo(300_000);
        assertThat(config.frameTimeoutMs()).isEqualTo(10_000);
        assertThat(config.maxConnections()).isEqualTo(10_000);
        RpcServerConfig tuned = config.withIdleTimeoutMs(5).withFrameTimeoutMs(6).withMaxConnections(7).withPort(8);
        assertThat(tuned).isEqualTo(new RpcServerConfig("h", 8, 4096, 1, 1, 1024, 5, 6, 7));
    }

    @Test
    void clientConfig() {
        RpcClientConfig ok = RpcClientConfig.defaults();
        assertThatIllegalArgumentException().isThrownBy(() -> ok.withConnectionsPerPeer(0))
                .withMessage("connectionsPerPeer must be in [1, 64], got 0");
        assertThatIllegalArgumentException().isThrownBy(() -> ok.withMaxInFlightPerConnection(0))
                .withMessage("maxInFlightPerConnection must be at least 1, got 0");
        assertThatIllegalArgumentException().isThrownBy(() -> ok.withReconnectBackoffMs(-1))
                .withMessage("reconnectBackoffMs must not be negative, got -1");
        assertThatIllegalArgumentException().isThrownBy(() -> new RpcClientConfig(1, 1, 4096, 0, 0, 1))
                .withMessage("connectTimeoutMs must be in [1, 2147483647], got 0");
        assertThatIllegalArgumentException().isThrownBy(() -> new RpcClientConfig(1, 1, 4096, 1, 0, 0))
                .withMessage("ioThreads must be at least 1, got 0");
        assertThatIllegalArgumentException().isThrownBy(() -> ok.withIoThreads(0))
                .withMessage("ioThreads must be at least 1, got 0");
        assertThat(ok.withIoThreads(3).ioThreads()).isEqualTo(3);
    }

    @Test
    void callOptions() {
        assertThatIllegalArgumentException().isThrownBy(() -> new CallOptions(1, 256, 0, 1))
                .withMessage("businessPriority must be in [0, 255], got 256");
        assertThatIllegalArgumentException().isThrownBy(() -> new CallOptions(1, 0, 128, 1))
                .withMessage("userPriority must be in [0, 127], got 128");
        assertThatIllegalArgumentException().isThrownBy(() -> CallOptions.of(1, 0))
                .withMessage("timeoutMs must be at least 1, got 0");
    }

    @Test
    void messageRegistryRejectsDuplicateIds() {
        MessageType<Blob> clash = new MessageType<>(BuiltinMessages.PING.id(), "Clash", Blob.class, Blob.TYPE.codec());
        assertThatIllegalArgumentException().isThrownBy(() -> MessageRegistry.builder().register(clash).build())
                .withMessage("message type id 2 registered twice: Ping and Clash");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new MessageType<>(0, "Zero", Blob.class, Blob.TYPE.codec()))
                .withMessage("message type id 0 out of range [1, 65535]");
    }

    @Test
    void serverBuilderRejectsUnregisteredTypesAndDuplicateHandlers() {
        RpcServer.Builder builder = RpcServer.builder(RpcServerConfig.loopback(0), MessageRegistry.builtinsOnly());
        assertThatIllegalArgumentException()
                .isThrownBy(() -> builder.handle(Blob.ECHO, (request, header) -> RpcOutcome.success(request)))
                .withMessage("Blob->Blob uses message types missing from the registry");
        builder.handle(RpcMethod.PING, (request, header) -> RpcOutcome.success(new org.sediment.common.wire.Pong(1)));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> builder.handle(RpcMethod.PING, (request, header) -> RpcOutcome.reject(
                        org.sediment.common.wire.ErrorCode.INTERNAL, "x")))
                .withMessage("a handler for Ping#2 is already registered");
    }
}
