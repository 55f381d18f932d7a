package io.tcplens.ui.remote;

import inet.ipaddr.IPAddress;
import io.tcplens.export.firewall.Allowlist;
import io.tcplens.export.firewall.BlockPlan;
import io.tcplens.export.firewall.BlockTimeout;
import io.tcplens.export.firewall.Exclusion;
import io.tcplens.export.firewall.ExportHeader;
import io.tcplens.export.firewall.FirewallFormat;
import io.tcplens.export.firewall.InvalidAddressException;
import io.tcplens.export.firewall.MachineAddresses;
import io.tcplens.export.firewall.ProtectedNetwork;
import io.tcplens.export.firewall.RuleFiles;
import io.tcplens.export.firewall.SafetyRules;
import io.tcplens.export.firewall.StrictAddresses;
import java.io.File;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import javafx.application.Platform;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.css.PseudoClass;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.util.StringConverter;

/**
 * The export dialog's content: format chooser, which addresses (selected rows or every row over
 * the threshold), force, a live preview, the excluded addresses with their reasons, the allowlist
 * (editable, remembered), copy and save. Plans and rule text are built on a background executor;
 * the FX thread only shows them.
 */
public final class ExportRulesPane extends BorderPane {
    private final ResourceBundle b;
    private final Allowlist allowlistStore;
    private final Executor background;
    private final ComboBox<FirewallFormat> format = new ComboBox<>(FXCollections.observableArrayList(FirewallFormat.values()));
    private final RadioButton selectedChoice = new RadioButton();
    private final RadioButton overChoice = new RadioButton();
    private final CheckBox force = new CheckBox();
    private final ComboBox<String> expiry = new ComboBox<>();
    private final TextArea preview = new TextArea();
    private final ObservableList<Exclusion> excluded = FXCollections.observableArrayList();
    private final ListView<Exclusion> excludedList = new ListView<>(excluded);
    private final ObservableList<IPAddress> allow = FXCollections.observableArrayList();
    private final ListView<IPAddress> allowList = new ListView<>(allow);
    private final TextField allowField = new TextField();
    private final Label allowError = new Label();
    private final Label summary = new Label();
    private final Label status = new Label();
    private final Label excludedLabel = new Label();

    private List<String> selectedCidrs = List.of();
    private List<String> overCidrs = List.of();
    private String selectedText = "";
    private String overText = "";
    private String sourceLabel = "";
    private volatile List<ProtectedNetwork> machine;
    private int generation;
    private String text = "";

    public ExportRulesPane(ResourceBundle bundle, Allowlist allowlistStore, Executor background) {
        this.b = bundle;
        this.allowlistStore = allowlistStore;
        this.background = background;
        getStyleClass().add("export-rules-pane");
        build();
    }

    /**
     * What can be exported. Call on the FX thread; reads the machine's addresses and the allowlist
     * in the background, then shows the preview.
     */
    public void setCandidates(List<String> selected, String selectedDescription, List<String> overThreshold,
                              String overDescription, String source) {
        this.selectedCidrs = List.copyOf(selected);
        this.overCidrs = List.copyOf(overThreshold);
        this.selectedText = selectedDescription;
        this.overText = overDescription;
        this.sourceLabel = source;
        selectedChoice.setText(MessageFormat.format(b.getString("export.useSelected"), selected.size()));
        overChoice.setText(MessageFormat.format(b.getString("export.useOver"), overThreshold.size()));
        selectedChoice.setDisable(selected.isEmpty());
        overChoice.setDisable(overThreshold.isEmpty());
        if (selected.isEmpty() && !overThreshold.isEmpty()) overChoice.setSelected(true);
        else selectedChoice.setSelected(true);
        if (selected.isEmpty() && overThreshold.isEmpty()) status.setText(b.getString("export.nothingChosen"));
        CompletableFuture.supplyAsync(() -> {
            if (machine == null) machine = MachineAddresses.read();
            return allowlistStore.load();
        }, background).thenAccept(list -> Platform.runLater(() -> {
            allow.setAll(list);
            regenerate();
        }));
    }

    public String previewText() {
        return text;
    }

    public List<Exclusion> excludedItems() {
        return List.copyOf(excluded);
    }

    public List<IPAddress> allowlistItems() {
        return List.copyOf(allow);
    }

    public String statusText() {
        return status.getText();
    }

    public String summaryText() {
        return summary.getText();
    }

    public void setFormat(FirewallFormat f) {
        format.setValue(f);
    }

    /** Expiry for nft/ipset, e.g. "1h"; "" for none. */
    public void setExpiry(String v) {
        expiry.setValue(v);
    }

    public void setForce(boolean f) {
        force.setSelected(f);
    }

    public void useOverThreshold(boolean over) {
        (over ? overChoice : selectedChoice).setSelected(true);
    }

    /** Adds an allowlist entry from text; returns the error shown, or "" when it was added. */
    public String addAllow(String textEntry) {
        try {
            IPAddress a = StrictAddresses.parse(textEntry);
            if (!allow.contains(a)) allow.add(a);
            allowError.setText("");
            allowField.clear();
            saveAllowlist();
            regenerate();
            return "";
        } catch (InvalidAddressException e) {
            allowError.setText(e.getMessage());
            return e.getMessage();
        }
    }

    public void removeAllow(IPAddress a) {
        allow.remove(a);
        saveAllowlist();
        regenerate();
    }

    private void saveAllowlist() {
        List<IPAddress> copy = List.copyOf(allow);
        background.execute(() -> allowlistStore.save(copy));
    }

    private void build() {
        format.setValue(FirewallFormat.NFT);
        format.setConverter(new StringConverter<>() {
            @Override
            public String toString(FirewallFormat f) {
                return f == null ? "" : f.displayName();
            }

            @Override
            public FirewallFormat fromString(String s) {
                return FirewallFormat.byId(s).orElse(null);
            }
        });
        format.valueProperty().addListener((o, a, n) -> {
            expiry.setDisable(n == null || !n.supportsTimeout());
            regenerate();
        });
        String never = b.getString("export.expiry.never");
        expiry.getItems().setAll(never, "10m", "1h", "24h", "7d");
        expiry.setValue(never);
        expiry.setDisable(!FirewallFormat.NFT.supportsTimeout());
        expiry.setTooltip(new Tooltip(b.getString("export.expiry.tip")));
        expiry.valueProperty().addListener((o, a, n) -> regenerate());
        ToggleGroup which = new ToggleGroup();
        selectedChoice.setToggleGroup(which);
        overChoice.setToggleGroup(which);
        which.selectedToggleProperty().addListener((o, a, n) -> regenerate());
        force.setText(b.getString("export.force"));
        force.getStyleClass().add("export-force");
        force.selectedProperty().addListener((o, a, n) -> regenerate());

        Label formatLabel = new Label(b.getString("export.format"));
        Label expiryLabel = new Label(b.getString("export.expiry"));
        expiryLabel.setMinWidth(Region.USE_PREF_SIZE);
        formatLabel.setMinWidth(Region.USE_PREF_SIZE);
        format.setPrefWidth(280);
        HBox top = new HBox(10, formatLabel, format, expiryLabel, expiry, new Region(), selectedChoice, overChoice);
        HBox.setMargin(selectedChoice, new Insets(0, 0, 0, 14));
        top.setAlignment(Pos.CENTER_LEFT);
        summary.getStyleClass().add("export-summary");
        VBox header = new VBox(8, top, force, summary);
        header.setPadding(new Insets(0, 0, 8, 0));
        setTop(header);

        preview.setEditable(false);
        // with nothing chosen the preview says what to do instead of staying blank
        preview.setPromptText(b.getString("export.nothingChosen"));
        preview.setWrapText(false);
        preview.getStyleClass().add("export-preview");
        VBox.setVgrow(preview, Priority.ALWAYS);
        Label previewLabel = new Label(b.getString("export.preview"));
        previewLabel.getStyleClass().add("export-section");
        VBox center = new VBox(4, previewLabel, preview);
        setCenter(center);

        excludedList.setPlaceholder(new Label(b.getString("export.noneExcluded")));
        excludedList.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(Exclusion e, boolean empty) {
                super.updateItem(e, empty);
                setText(empty || e == null ? null : e.explanation());
            }
        });
        excludedList.getStyleClass().add("export-excluded");
        excludedList.setPrefHeight(130);
        allowList.setPlaceholder(new Label(b.getString("export.allowEmpty")));
        allowList.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(IPAddress a, boolean empty) {
                super.updateItem(a, empty);
                setText(empty || a == null ? null : StrictAddresses.canonical(a));
            }
        });
        allowList.setPrefHeight(130);
        allowField.setPromptText(b.getString("export.allowPrompt"));
        allowField.setOnAction(e -> addAllow(allowField.getText()));
        Button add = new Button(b.getString("export.allowAdd"));
        add.setOnAction(e -> addAllow(allowField.getText()));
        Button remove = new Button(b.getString("export.allowRemove"));
        remove.setOnAction(e -> {
            IPAddress a = allowList.getSelectionModel().getSelectedItem();
            if (a != null) removeAllow(a);
        });
        remove.disableProperty().bind(allowList.getSelectionModel().selectedItemProperty().isNull());
        allowError.getStyleClass().add("filter-error");
        allowError.setWrapText(true);
        HBox allowBar = new HBox(6, allowField, add, remove);
        HBox.setHgrow(allowField, Priority.ALWAYS);
        Label exLabel = excludedLabel;
        exLabel.setText(b.getString("export.excluded"));
        exLabel.getStyleClass().add("export-section");
        Label alLabel = new Label(b.getString("export.allowlist"));
        alLabel.getStyleClass().add("export-section");
        VBox exBox = new VBox(4, exLabel, excludedList);
        VBox alBox = new VBox(4, alLabel, allowList, allowBar, allowError);
        HBox.setHgrow(exBox, Priority.ALWAYS);
        HBox.setHgrow(alBox, Priority.ALWAYS);
        exBox.setPrefWidth(420);
        alBox.setPrefWidth(320);
        HBox lists = new HBox(12, exBox, alBox);

        Button copy = new Button(b.getString("export.copy"));
        copy.setOnAction(e -> copyToClipboard());
        Button save = new Button(b.getString("export.save"));
        save.setDefaultButton(true);
        save.setOnAction(e -> chooseAndSave());
        copy.disableProperty().bind(preview.textProperty().isEmpty());
        save.disableProperty().bind(preview.textProperty().isEmpty());
        status.getStyleClass().add("export-status");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        // Esc or Close leaves the dialog (it is its own window)
        Button close = new Button(b.getString("export.close"));
        close.setCancelButton(true);
        close.setOnAction(e -> {
            if (getScene() != null && getScene().getWindow() != null) getScene().getWindow().hide();
        });
        // the buttons keep their words; a long status wraps beside them (at 1024x700 it pushed them to "…")
        for (Button bt : List.of(close, copy, save)) bt.setMinWidth(Region.USE_PREF_SIZE);
        status.setWrapText(true);
        status.setMinWidth(0);
        status.setMaxWidth(Double.MAX_VALUE);
        status.setMinHeight(Region.USE_PREF_SIZE);
        HBox.setHgrow(status, Priority.ALWAYS);
        HBox buttons = new HBox(8, status, spacer, close, copy, save);
        buttons.setAlignment(Pos.CENTER_LEFT);
        VBox bottom = new VBox(10, lists, buttons);
        bottom.setPadding(new Insets(10, 0, 0, 0));
        setBottom(bottom);
        setPadding(new Insets(12));
    }

    /** Rebuilds plan and preview in the background; only the newest request is shown. */
    public void regenerate() {
        if (machine == null) return;
        int gen = ++generation;
        boolean over = overChoice.isSelected();
        List<String> cidrs = over ? overCidrs : selectedCidrs;
        String selection = over ? overText : selectedText;
        FirewallFormat f = format.getValue();
        boolean forced = force.isSelected();
        Duration expire = null;
        if (!expiry.isDisabled() && expiry.getValue() != null && !expiry.getValue().isEmpty()
                && !expiry.getValue().equals(b.getString("export.expiry.never"))) {
            try {
                expire = BlockTimeout.parse(expiry.getValue());
            } catch (InvalidAddressException e) {
                status.setText(e.getMessage());
                return;
            }
        }
        Duration expireFinal = expire;
        List<IPAddress> allowCopy = List.copyOf(allow);
        List<ProtectedNetwork> machineCopy = machine;
        String source = sourceLabel;
        CompletableFuture.supplyAsync(() -> {
            List<IPAddress> requested = new ArrayList<>();
            for (String c : cidrs) {
                try {
                    requested.add(StrictAddresses.parse(c));
                } catch (InvalidAddressException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }
            BlockPlan plan = BlockPlan.build(requested, new SafetyRules(machineCopy, allowCopy), forced,
                    ExportHeader.now(source, selection), expireFinal);
            return new Object[] {plan, plan.isEmpty() ? "" : f.generate(plan)};
        }, background).whenComplete((res, err) -> Platform.runLater(() -> {
            if (gen != generation) return;
            if (err != null) {
                status.setText(err.getMessage());
                return;
            }
            BlockPlan plan = (BlockPlan) res[0];
            text = (String) res[1];
            preview.setText(text);
            excluded.setAll(plan.forced().isEmpty() ? plan.excluded() : plan.forced());
            excludedLabel.setText(b.getString(plan.forced().isEmpty() ? "export.excluded" : "export.forcedList"));
            summary.setText(MessageFormat.format(b.getString(plan.forced().isEmpty() ? "export.summary" : "export.summaryForced"),
                    plan.requested(), plan.excluded().size() + plan.forced().size(), plan.blocks().size()));
            summary.pseudoClassStateChanged(PseudoClass.getPseudoClass("warning"), !plan.forced().isEmpty());
            status.setText(plan.requested() == 0 ? b.getString("export.nothingChosen")
                    : plan.isEmpty() ? b.getString("export.nothing") : "");
        }));
    }

    public void copyToClipboard() {
        if (text.isEmpty()) return;
        ClipboardContent c = new ClipboardContent();
        c.putString(text);
        Clipboard.getSystemClipboard().setContent(c);
        status.setText(b.getString("export.copied"));
    }

    private void chooseAndSave() {
        FileChooser fc = new FileChooser();
        fc.setTitle(b.getString("export.save"));
        FirewallFormat f = format.getValue();
        fc.setInitialFileName("tcplens-block." + f.extension());
        File file = fc.showSaveDialog(getScene() == null ? null : getScene().getWindow());
        if (file == null) return;
        Path p = file.toPath();
        boolean overwrite = false;
        if (Files.exists(p)) {
            Alert a = new Alert(Alert.AlertType.CONFIRMATION, MessageFormat.format(b.getString("export.replace"), p),
                    ButtonType.CANCEL, ButtonType.OK);
            a.setHeaderText(null);
            if (a.showAndWait().orElse(ButtonType.CANCEL) != ButtonType.OK) return;
            overwrite = true;
        }
        save(p, overwrite);
    }

    /** Saves the preview atomically in the background; never replaces an existing file unless {@code overwrite}. */
    public CompletableFuture<Void> save(Path file, boolean overwrite) {
        String content = text;
        return CompletableFuture.runAsync(() -> {
            try {
                RuleFiles.save(file, content, overwrite);
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        }, background).whenComplete((v, err) -> Platform.runLater(() -> {
            if (err == null) status.setText(MessageFormat.format(b.getString("export.saved"), file));
            else if (err.getCause() instanceof FileAlreadyExistsException)
                status.setText(MessageFormat.format(b.getString("export.exists"), file));
            else status.setText(MessageFormat.format(b.getString("error.export"),
                    err.getCause() != null ? err.getCause().getMessage() : err.getMessage()));
        }));
    }
}
