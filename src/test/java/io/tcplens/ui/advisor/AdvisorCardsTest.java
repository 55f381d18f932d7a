package io.tcplens.ui.advisor;

import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.analysis.advisor.Finding;
import io.tcplens.analysis.advisor.FindingRows;
import io.tcplens.analysis.advisor.Text;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.TcpState;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.WindowFixture;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.VBox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The advisor's cards persist across polls: a finding shown again (its numbers changed) keeps its card
 * nodes and gets the new text; a finding that goes away takes its card with it. Fed hand-made
 * findings through {@link AdvisorView#show}, on a view of its own beside the window's.
 */
class AdvisorCardsTest {
    static WindowFixture fixture;

    @BeforeAll
    static void open() throws Exception {
        fixture = WindowFixture.open("tcplens-test/advisorcards", 250, "proc", 1024, 700);
    }

    @AfterAll
    static void close() {
        if (fixture != null) fixture.close();
    }

    private static AdvisorView.Item item(String id, String evidence, int keys) {
        Finding f = new Finding(id, "close-wait", Finding.Severity.WARNING, Text.of("advice.close-wait.title", "x", keys),
                List.of(), List.of(), List.of());
        List<ConnectionKey> k = new ArrayList<>();
        for (int i = 0; i < keys; i++) k.add(new ConnectionKey(new Endpoint(InetAddress.getLoopbackAddress(), 1000), new Endpoint(InetAddress.getLoopbackAddress(), 2000 + i)));
        return new AdvisorView.Item(f, "title " + id + " " + keys, List.of(evidence), List.of("fix one"),
                new FindingRows(TcpState.CLOSE_WAIT, null, s -> true), k, null, Collections.singletonList(null), List.of("a source"));
    }

    private static List<Node> cards(AdvisorView v) {
        VBox cards = (VBox) ((ScrollPane) ((BorderPane) v.node()).getCenter()).getContent();
        return new ArrayList<>(cards.getChildren());
    }

    private static Node card(AdvisorView v, String id) {
        return cards(v).stream().filter(n -> ("finding-" + id).equals(n.getId())).findFirst().orElse(null);
    }

    private static List<Node> descendants(Node n) {
        List<Node> all = new ArrayList<>();
        all.add(n);
        if (n instanceof Parent p) for (Node c : p.getChildrenUnmodifiable()) all.addAll(descendants(c));
        return all;
    }

    private static String texts(Node card) {
        return descendants(card).stream().map(n -> n instanceof Label l ? l.getText() : n instanceof Button b ? b.getText() : null)
                .filter(s -> s != null).collect(Collectors.joining("\n"));
    }

    @Test
    void cardsPersistAcrossPollsWithTheNewTextAndGoWithTheirFinding() {
        FxTestSupport.onFx(() -> {
            AdvisorView v = new AdvisorView(fixture.window());
            v.show(new AdvisorView.Prepared("proc", 10, List.of(item("a", "3 sockets in CLOSE_WAIT", 3), item("b", "7 sockets", 7)), ""));
            Node a = card(v, "a"), b = card(v, "b");
            assertNotNull(a);
            assertNotNull(b);
            List<Node> aNodes = descendants(a);
            assertTrue(texts(a).contains("3 sockets in CLOSE_WAIT"), texts(a));

            v.show(new AdvisorView.Prepared("proc", 11, List.of(item("a", "5 sockets in CLOSE_WAIT", 5), item("b", "8 sockets", 8)), ""));
            assertSame(a, card(v, "a"));
            assertSame(b, card(v, "b"));
            List<Node> aNodes2 = descendants(card(v, "a"));
            assertEquals(aNodes.size(), aNodes2.size());
            for (int i = 0; i < aNodes.size(); i++) assertSame(aNodes.get(i), aNodes2.get(i), "node " + i + " of the card");
            String t = texts(a);
            assertTrue(t.contains("5 sockets in CLOSE_WAIT") && !t.contains("3 sockets"), t);
            assertTrue(t.contains("title a 5"), t);
            assertTrue(t.contains("5"), t);
            Button rows = (Button) aNodes2.stream().filter(n -> n instanceof Button).findFirst().orElseThrow();
            assertTrue(rows.getText().contains("5"), rows.getText());
            assertTrue(texts(b).contains("8 sockets"), texts(b));

            v.show(new AdvisorView.Prepared("proc", 12, List.of(item("a", "6 sockets in CLOSE_WAIT", 6)), ""));
            assertSame(a, card(v, "a"));
            assertNull(card(v, "b"));
            assertEquals(List.of(a), cards(v));
            assertTrue(texts(a).contains("6 sockets in CLOSE_WAIT"), texts(a));

            // back again: a card of its own, after a's
            v.show(new AdvisorView.Prepared("proc", 13, List.of(item("a", "6 sockets in CLOSE_WAIT", 6), item("b", "9 sockets", 9)), ""));
            assertEquals(2, cards(v).size());
            assertSame(a, cards(v).getFirst());
            assertTrue(texts(card(v, "b")).contains("9 sockets"), texts(card(v, "b")));
        });
    }
}
