package io.flowretry.environments.entity;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DutyTest {

    @Test
    void an_attached_agent_runs_the_work_of_a_runnable_environment() {
        assertEquals(Duty.RUN_HERE, Duty.of(true, true));
    }

    @Test
    void an_agent_not_attached_leaves_it_to_the_attached_ones() {
        assertEquals(Duty.LEAVE_TO_ATTACHED, Duty.of(true, false));
    }

    @Test
    void nobody_runs_the_work_of_an_environment_that_cannot_run_attached_or_not() {
        assertEquals(Duty.REFUSE, Duty.of(false, true));
        assertEquals(Duty.REFUSE, Duty.of(false, false));
    }
}
