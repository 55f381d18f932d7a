package io.tcplens.ui.source;

import io.tcplens.source.netns.NamespaceList;
import java.text.MessageFormat;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ListCell;
import javafx.scene.control.Tooltip;

/**
 * The namespace picker beside Source: this machine's own table first, then every other network
 * namespace (ip-netns name or the namespace of a process, with its processes, socket count and a
 * container's name where one is readable). Choosing one asks the window to switch to
 * {@code netns:NAME} or {@code netns:pid:PID}; the list is read again each time it opens, off the FX thread.
 */
public final class NamespacePicker extends ComboBox<NamespaceList.Namespace> {
    private final ResourceBundle bundle;
    private boolean updating;

    public NamespacePicker(ResourceBundle bundle, Consumer<String> switchTo) {
        this.bundle = bundle;
        setId("namespace-picker");
        setTooltip(new Tooltip(bundle.getString("netns.tip")));
        setPromptText(bundle.getString("netns.host.short"));
        setPrefWidth(150);
        setMinWidth(120);
        setMaxWidth(220);
        setCellFactory(l -> new Cell(false));
        setButtonCell(new Cell(true));
        setOnShowing(e -> refresh());
        valueProperty().addListener((o, a, n) -> {
            if (updating || n == null) return;
            switchTo.accept(n.current() ? "auto" : "netns:" + n.spec());
        });
        refresh();
    }

    /** Reads the namespaces again (off the FX thread) and keeps the choice. */
    public void refresh() {
        CompletableFuture.supplyAsync(NamespaceList::scan).thenAccept(list -> Platform.runLater(() -> setAll(list)));
    }

    /** Shows {@code list} (for tests: a fixed list). */
    public void setAll(List<NamespaceList.Namespace> list) {
        NamespaceList.Namespace chosen = getValue();
        updating = true;
        try {
            getItems().setAll(list);
            if (chosen != null)
                getItems().stream().filter(n -> n.inode() == chosen.inode()).findFirst().ifPresent(this::setValue);
        } finally {
            updating = false;
        }
    }

    /** Marks what the window shows now without switching (after the source changed elsewhere). */
    public void showSpec(String spec) {
        updating = true;
        try {
            if (spec == null || !spec.startsWith("netns:")) {
                setValue(getItems().stream().filter(NamespaceList.Namespace::current).findFirst().orElse(null));
                return;
            }
            String t = spec.substring("netns:".length());
            int slash = t.lastIndexOf('/');
            String target = slash < 0 ? t : t.substring(0, slash);
            setValue(getItems().stream().filter(n -> target.equals(n.spec())
                    || (target.startsWith("pid:") && n.pids().contains(parsePid(target)))).findFirst().orElse(null));
        } finally {
            updating = false;
        }
    }

    private static int parsePid(String t) {
        try {
            return Integer.parseInt(t.substring(4));
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** One line: what a person recognises a namespace by. */
    String describe(NamespaceList.Namespace n, boolean shortForm) {
        if (n.current()) return bundle.getString(shortForm ? "netns.host.short" : "netns.host");
        String who = n.name() != null ? n.name()
                : n.container() != null ? n.container() : MessageFormat.format(bundle.getString("netns.pid"), n.pids().get(0));
        if (shortForm) return who;
        String procs = n.processes().isEmpty() ? bundle.getString("netns.noProcesses") : String.join(", ", n.processes())
                + (n.pids().size() > n.processes().size() ? " …" : "");
        String sockets = n.tcpSockets() < 0 ? "" : " · " + MessageFormat.format(bundle.getString("netns.sockets"), n.tcpSockets());
        return who + " — " + procs + sockets;
    }

    private final class Cell extends ListCell<NamespaceList.Namespace> {
        private final boolean button;

        Cell(boolean button) {
            this.button = button;
        }

        @Override
        protected void updateItem(NamespaceList.Namespace n, boolean empty) {
            super.updateItem(n, empty);
            if (empty || n == null) setText(button ? bundle.getString("netns.host.short") : null);
            else setText(describe(n, button));
        }
    }
}
