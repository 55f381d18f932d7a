package io.tcplens.bench;

import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;

/**
 * The reference for the window's memory: a bare JavaFX window of the same size with one empty table,
 * nothing polled. {@link WindowMemoryBenchmark} runs it under the same Xvfb with the option set
 * {@code bare}. (The main class does not extend Application, so it starts from the class path.)
 */
public final class BareWindow {
    public static void main(String[] args) {
        Application.launch(App.class, args);
    }

    public static final class App extends Application {
        @Override
        public void start(Stage stage) {
            BorderPane root = new BorderPane(new TableView<String>(), new Label("bare JavaFX window"), null, null, null);
            stage.setScene(new Scene(root, 1400, 900));
            stage.setTitle("bare");
            stage.show();
        }
    }
}
