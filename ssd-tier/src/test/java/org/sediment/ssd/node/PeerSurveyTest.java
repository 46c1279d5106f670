package org.sediment.ssd.node;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.sediment.ssd.node.PeerSurvey.Verdict;
import org.sediment.ssd.node.wire.GroupProbeReply;

class PeerSurveyTest {
    private static final long GROUP = 7;

    private static GroupProbeReply noStateYet(int peer) {
        return new GroupProbeReply(GROUP, peer, false, false, false, 0, false);
    }

    private static GroupProbeReply recovering(int peer) {
        return new GroupProbeReply(GROUP, peer, true, false, false, 0, false);
    }

    private static GroupProbeReply serving(int peer, int timelines, boolean holdsAcceptedValues) {
        return new GroupProbeReply(GROUP, peer, true, true, true, timelines, holdsAcceptedValues);
    }

    @Test
    void peersWithoutStateOfTheirOwnFormANewGroup() {
        PeerSurvey survey = new PeerSurvey(GROUP, 0, 3);
        survey.answer(1, noStateYet(1));
        assertThat(survey.verdict()).isEqualTo(Verdict.UNDECIDED);
        assertThat(survey.unsettled()).containsExactly(2);
        survey.answer(2, serving(2, 0, false));
        assertThat(survey.verdict()).isEqualTo(Verdict.NEW_GROUP);
    }

    @Test
    void aPeerStillRecoveringIsAskedAgainUntilItKnows() {
        PeerSurvey survey = new PeerSurvey(GROUP, 2, 3);
        survey.answer(0, noStateYet(0));
        survey.answer(1, recovering(1));
        assertThat(survey.verdict()).isEqualTo(Verdict.UNDECIDED);
        assertThat(survey.unsettled()).containsExactly(1);
        survey.answer(1, recovering(1));
        assertThat(survey.verdict()).isEqualTo(Verdict.UNDECIDED);
        survey.answer(1, serving(1, 40, false));
        assertThat(survey.verdict()).isEqualTo(Verdict.GROUP_HAS_DATA);
    }

    @Test
    void anAcceptedValueNotYetAppliedIsData() {
        PeerSurvey survey = new PeerSurvey(GROUP, 0, 3);
        survey.answer(1, serving(1, 0, true));
        assertThat(survey.verdict()).isEqualTo(Verdict.GROUP_HAS_DATA);
    }

    @Test
    void answersForAnotherGroupOrFromAnotherNodeSettleNothing() {
        PeerSurvey survey = new PeerSurvey(GROUP, 0, 3);
        survey.answer(1, new GroupProbeReply(GROUP + 1, 1, false, false, false, 0, false));
        survey.answer(2, noStateYet(1));
        assertThat(survey.verdict()).isEqualTo(Verdict.UNDECIDED);
        assertThat(survey.unsettled()).containsExactly(1, 2);
    }

    @Test
    void aLoneReplicaFormsItsGroupAtOnce() {
        assertThat(new PeerSurvey(GROUP, 0, 1).verdict()).isEqualTo(Verdict.NEW_GROUP);
    }
}
