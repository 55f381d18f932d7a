package io.tcplens.common;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Version and licence, from the jar manifest or a filtered version.properties. */
public final class AppVersion {
    private AppVersion() {}

    public static String version() {
        String v = AppVersion.class.getPackage().getImplementationVersion();
        if (v != null) return v;
        return props().getProperty("version", "dev");
    }

    public static String licence() {
        return props().getProperty("licence", "Apache-2.0");
    }

    private static Properties props() {
        Properties p = new Properties();
        try (InputStream in = AppVersion.class.getResourceAsStream("version.properties")) {
            if (in != null) p.load(in);
        } catch (IOException ignored) {
            // defaults
        }
        return p;
    }
}
