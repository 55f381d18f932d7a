package io.tcplens.app;

import java.io.IOException;
import java.io.InputStream;
import javafx.scene.image.Image;
import javafx.stage.Stage;

/**
 * The TcpLens icon (assets/icon, rendered by assets/icon/render.sh) on a window, so that task bars
 * and window switchers show it: every size the window manager may pick from.
 */
public final class AppIcons {
    private AppIcons() {}

    static final int[] SIZES = {16, 32, 48, 64, 128, 256};

    public static void addTo(Stage stage) {
        for (int size : SIZES) {
            try (InputStream in = AppIcons.class.getResourceAsStream("icons/tcplens-" + size + ".png")) {
                if (in != null) stage.getIcons().add(new Image(in));
            } catch (IOException e) {
                // an icon that cannot be read leaves the window with the others
            }
        }
    }
}
