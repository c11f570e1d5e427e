package io.openautoglm.train.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The learning-rate schedule: warm-up, then decay to zero at the last step or at the time limit, whichever is first. */
class ScheduleTest {

    @Test
    void warmsUpThenDecaysToZeroAtTheLastStep() {
        assertEquals(0.5f, FineTuning.schedule(5, 10, 110, 0), 1e-6);
        assertEquals(1f, FineTuning.schedule(10, 10, 110, 0), 1e-6);
        assertEquals(0.5f, FineTuning.schedule(60, 10, 110, 0), 1e-6);
        assertEquals(0f, FineTuning.schedule(110, 10, 110, 0), 1e-6);
    }

    @Test
    void theTimeShareRunsFromTheFirstStepToTheDeadline() {
        assertEquals(0, FineTuning.timeShare(500, 100, Long.MAX_VALUE), 0);
        assertEquals(0, FineTuning.timeShare(100, 100, 1100), 0);
        assertEquals(0.4, FineTuning.timeShare(500, 100, 1100), 1e-12);
        assertEquals(1, FineTuning.timeShare(5000, 100, 1100), 0);
    }

    @Test
    void aTimeLimitThatComesFirstAnnealsToItInstead() {
        // a tenth of the steps but 60/110 of the time: the rate stands where step 60 would put it
        assertEquals(0.5f, FineTuning.schedule(11, 10, 110, 60 / 110.0), 1e-6);
        assertEquals(0f, FineTuning.schedule(40, 10, 110, 1), 1e-6);
        // time behind the steps changes nothing
        assertEquals(0.5f, FineTuning.schedule(60, 10, 110, 0.2), 1e-6);
        // warm-up is counted in steps whatever the clock says
        assertEquals(0.5f, FineTuning.schedule(5, 10, 110, 0.9), 1e-6);
    }
}
