package org.sediment.ops.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class ClientScheduleTest {

    @Test
    void openLoopClientsShareTheRateAndStartSpreadOverOneInterval() {
        // 64 clients at 5,000/s: each sends every 12.8 ms, client k first at k * 0.2 ms.
        long start = 1_000_000_000L;
        assertThat(ClientSchedule.openLoop(5_000, 64, 0, start).nextDue()).isEqualTo(start);
        assertThat(ClientSchedule.openLoop(5_000, 64, 1, start).nextDue()).isEqualTo(start + 200_000);
        assertThat(ClientSchedule.openLoop(5_000, 64, 63, start).nextDue()).isEqualTo(start + 63 * 200_000);
    }

    @Test
    void aLateClientTimesEachRequestFromWhenItWasDueAndDoesNotSkipAny() {
        // Due times long past: the client is behind, so it must not wait, and every request
        // still counts from its own due time, one interval after the last.
        long past = System.nanoTime() - 1_000_000_000L;
        ClientSchedule behind = ClientSchedule.openLoop(1_000, 1, 0, past);
        assertThat(behind.awaitNext()).isEqualTo(past);
        assertThat(behind.awaitNext()).isEqualTo(past + 1_000_000);
        assertThat(behind.awaitNext()).isEqualTo(past + 2_000_000);
    }

    @Test
    void anOnTimeClientWaitsUntilTheRequestIsDue() {
        long due = System.nanoTime() + 30_000_000L;
        ClientSchedule early = ClientSchedule.openLoop(10, 1, 0, due);
        assertThat(early.awaitNext()).isEqualTo(due);
        assertThat(System.nanoTime()).isGreaterThanOrEqualTo(due);
    }

    @Test
    void aClosedLoopClientStartsEachRequestNow() {
        ClientSchedule closed = ClientSchedule.closedLoop();
        long before = System.nanoTime();
        long start = closed.awaitNext();
        assertThat(start).isBetween(before, System.nanoTime());
        assertThat(closed.isOpenLoop()).isFalse();
    }

    @Test
    void aRateMustBePositive() {
        assertThatIllegalArgumentException().isThrownBy(() -> ClientSchedule.openLoop(0, 64, 0, 0));
        assertThatIllegalArgumentException().isThrownBy(() -> ClientSchedule.openLoop(Double.NaN, 64, 0, 0));
        assertThatIllegalArgumentException().isThrownBy(() -> ClientSchedule.openLoop(100, 64, 64, 0));
    }
}
