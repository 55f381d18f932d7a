package io.tcplens.ui.source;

import io.tcplens.model.SourceInfo;
import io.tcplens.source.RemoteLink;
import io.tcplens.source.SocketTableSource;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Region;
import javafx.stage.Window;

/**
 * The header's controls for looking elsewhere: the namespace picker (Linux) and "Connect to
 * server…". The window hands in how to switch source; these controls know nothing of the engine.
 */
public final class SourceControls {
    private final NamespacePicker picker;
    private final Button connect;
    private final Label pickerLabel;
    private final RecentHosts recent;
    private final String connectTip;

    public SourceControls(ResourceBundle bundle, Consumer<String> switchTo, Supplier<Window> owner) {
        this(bundle, switchTo, owner, RecentHosts.user());
    }

    public SourceControls(ResourceBundle bundle, Consumer<String> switchTo, Supplier<Window> owner, RecentHosts recent) {
        this.recent = recent;
        picker = new NamespacePicker(bundle, switchTo);
        pickerLabel = new Label(bundle.getString("netns.label"));
        pickerLabel.setLabelFor(picker);
        connect = new Button(bundle.getString("connect.button.short"));
        connect.setId("connect-server");
        connectTip = bundle.getString("connect.button") + "\n" + bundle.getString("connect.button.tip");
        connect.setMinWidth(Region.USE_PREF_SIZE);
        connect.setOnAction(e -> new ConnectDialog(owner.get(), bundle, recent).showAndWait().ifPresent(switchTo));
        linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
        this.notForRemote = bundle.getString("netns.notForRemote");
        this.notForReplay = bundle.getString("netns.notForReplay");
        pickerApplies(null);
    }

    private final boolean linux;
    private final String notForRemote;
    private final String notForReplay;

    /** @param why null when the picker applies, else why it is hidden (said in the Connect button's tip) */
    private void pickerApplies(String why) {
        boolean shown = linux && why == null;
        picker.setVisible(shown);
        picker.setManaged(shown);
        pickerLabel.setVisible(shown);
        pickerLabel.setManaged(shown);
        connect.setTooltip(new Tooltip(connectTip + (why == null ? "" : "\n" + why)));
    }

    /**
     * The window now polls {@code source}: the namespace picker lists this machine's namespaces, so
     * it is hidden while another machine's table is shown (a remote link) and while a recording is
     * replayed or a lab or simulated table is shown (its "this machine" would be a false label on that data),
     * and back for live local sources.
     */
    public void sourceShown(SocketTableSource source) {
        SourceInfo.Kind kind = source == null ? SourceInfo.Kind.LIVE : source.info().kind();
        pickerApplies(source instanceof RemoteLink ? notForRemote
                : kind != SourceInfo.Kind.LIVE ? notForReplay : null);
    }

    /** Whether the namespace picker is shown (tests). */
    public boolean pickerShown() {
        return picker.isVisible() && picker.isManaged();
    }

    /** The nodes to put in the header, in order. */
    public List<Node> nodes() {
        return List.of(picker, connect); // the picker's own text says what it is: no label, the header is full
    }

    public NamespacePicker picker() {
        return picker;
    }

    /** The window now shows {@code spec}: the picker follows, and a server that answered is remembered. */
    public void shown(String spec) {
        picker.showSpec(spec);
        if (spec != null && spec.startsWith("ssh:")) recent.add(spec);
    }
}
