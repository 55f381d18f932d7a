package io.tcplens.ui.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.engine.PollResult;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.ConnectionTracker;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The connections table's model makes a poll's rows into the arrays of rows the FX thread took off the screen
 * ({@link RowArrays}): two sets while the table is on screen, never the set of the rows on screen, of rows a
 * sort off the prepare thread reads (pinned), or of rows a view never said it showed; rows handed over and not
 * shown give theirs back at once. Each poll's rows are what a model that makes every poll's arrays anew gives.
 * On a churning 20,000-row table (rows changed, opened and closed between polls), sorted by local endpoint.
 */
class RowArraysReuseTest {
    private static final Comparator<ConnectionRow> ORDER = ConnectionColumn.LOCAL.comparator(true);

    private static List<PollResult> polls(int count) throws Exception {
        CarriedRowsTest.Churning table = new CarriedRowsTest.Churning(20_000);
        ConnectionTracker tracker = new ConnectionTracker(60_000);
        List<PollResult> polls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            var u = tracker.update(table.poll(1_000L * (i + 1), 400, 200, 200));
            polls.add(new PollResult(i + 1, u.snapshot(), u.diff(), u.connections(), 0, null));
        }
        return polls;
    }

    private static ConnectionRows rows(ConnectionTableModel m, PollResult p) {
        m.accept(List.of(p));
        return m.rows(p, p.snapshot().timestampMillis() + 100, ConnectionFilter.NONE, ORDER);
    }

    @Test
    void rowsShownInTurnTakeTheArraysOfTheRowsBeforeTheLast() throws Exception {
        List<PollResult> polls = polls(10);
        ConnectionTableModel model = new ConnectionTableModel(2_500), fresh = new ConnectionTableModel(2_500);
        List<ConnectionRows> made = new ArrayList<>();
        int reused = 0;
        for (PollResult p : polls) {
            ConnectionRows before = made.isEmpty() ? null : made.getLast();
            List<ConnectionKey> beforeKeys = before == null ? null : CarriedRowsTest.keys(before);
            ConnectionRows r = rows(model, p);
            fresh.forgetRows();
            assertEquals(CarriedRowsTest.keys(rows(fresh, p)), CarriedRowsTest.keys(r), "poll " + p.sequence() + ": the rows of fresh arrays");
            if (before != null) {
                assertNotSame(before.pooled(), r.pooled(), "poll " + p.sequence() + ": not made into the arrays on screen");
                assertEquals(beforeKeys, CarriedRowsTest.keys(before), "poll " + p.sequence() + ": the rows on screen are unchanged");
                assertTrue(before.current());
            }
            if (made.size() >= 2 && r.pooled() == made.get(made.size() - 2).pooled()) {
                reused++;
                assertFalse(made.get(made.size() - 2).current(), "rows whose arrays were made into again say so");
            }
            model.shown(r);
            made.add(r);
        }
        assertEquals(polls.size() - 2, reused, "from the third poll on, each poll's rows take the arrays of the rows before the last");
        assertEquals(2, model.arraySets(), "two sets of arrays: the rows on screen, and the next poll's");
    }

    @Test
    void aViewThatNeverSaysWhatItShowsGetsNewArraysEachPoll() throws Exception {
        List<PollResult> polls = polls(7);
        ConnectionTableModel model = new ConnectionTableModel(2_500);
        ConnectionRows first = rows(model, polls.getFirst());
        List<ConnectionKey> firstKeys = CarriedRowsTest.keys(first);
        List<RowArrays> seen = new ArrayList<>();
        seen.add(first.pooled());
        for (PollResult p : polls.subList(1, polls.size())) {
            ConnectionRows r = rows(model, p);
            for (RowArrays a : seen) assertNotSame(a, r.pooled(), "poll " + p.sequence() + ": arrays of its own");
            seen.add(r.pooled());
        }
        assertEquals(firstKeys, CarriedRowsTest.keys(first), "the first poll's rows, held all along, are unchanged");
        assertTrue(first.current());
        assertTrue(model.arraySets() <= 3, "at most three sets kept");
    }

    @Test
    void rowsASortReadsAreNotMadeIntoUntilItEnds() throws Exception {
        List<PollResult> polls = polls(6);
        ConnectionTableModel model = new ConnectionTableModel(2_500);
        ConnectionRows a = rows(model, polls.get(0));
        model.shown(a);
        assertTrue(model.pin(a), "a sort of the rows on screen holds their arrays");
        ConnectionRows b = rows(model, polls.get(1));
        model.shown(b); // a taken off the screen while the sort still reads it
        List<ConnectionKey> aKeys = CarriedRowsTest.keys(a);
        ConnectionRows c = rows(model, polls.get(2));
        assertNotSame(a.pooled(), c.pooled(), "not made into while pinned");
        assertEquals(aKeys, CarriedRowsTest.keys(a), "the pinned rows are unchanged");
        model.unpin(a);
        model.shown(c); // b off the screen
        ConnectionRows d = rows(model, polls.get(3));
        assertTrue(d.pooled() == a.pooled() || d.pooled() == b.pooled(), "a set taken off the screen and not pinned is made into again");
        assertFalse(model.pin(d.pooled() == a.pooled() ? a : b), "rows whose arrays were made into again cannot be pinned (their sort is moot)");
    }

    @Test
    void rowsHandedOverAndNotShownGiveTheirArraysBack() throws Exception {
        List<PollResult> polls = polls(5);
        ConnectionTableModel model = new ConnectionTableModel(2_500);
        ConnectionRows a = rows(model, polls.get(0));
        model.shown(a);
        ConnectionRows b = rows(model, polls.get(1));
        model.notShown(b); // paused, or another order picked meanwhile: a stays on screen
        ConnectionRows c = rows(model, polls.get(2));
        assertNotSame(a.pooled(), c.pooled(), "never the arrays on screen");
        // b's set was the carried one while c was made; c is not shown either: then b's set is free again
        model.notShown(c);
        ConnectionRows d = rows(model, polls.get(3));
        assertSame(b.pooled(), d.pooled(), "the arrays of rows not shown are made into again");
        assertTrue(a.current(), "the rows on screen keep theirs");
        model.notShown(a); // (rows on screen told as not shown: they keep their arrays all the same)
        assertTrue(rows(model, polls.get(4)).pooled() != a.pooled(), "never the arrays on screen");
    }
}
