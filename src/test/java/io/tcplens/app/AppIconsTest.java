package io.tcplens.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.awt.image.BufferedImage;
import java.io.InputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The window icons ship in the jar at the sizes AppIcons asks for (rendered by assets/icon/render.sh). */
class AppIconsTest {
    @Test
    void everyIconSizeIsInTheJarAtItsSize() throws Exception {
        for (int size : AppIcons.SIZES) {
            try (InputStream in = AppIcons.class.getResourceAsStream("icons/tcplens-" + size + ".png")) {
                assertNotNull(in, "icons/tcplens-" + size + ".png");
                BufferedImage img = ImageIO.read(in);
                assertEquals(size, img.getWidth());
                assertEquals(size, img.getHeight());
            }
        }
    }
}
