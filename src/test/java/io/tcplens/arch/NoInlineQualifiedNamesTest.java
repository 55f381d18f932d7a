package io.tcplens.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Types are imported, not written fully qualified in code: a reader sees what a class depends on in
 * its imports (issue 12 found ~330 lines naming {@code javafx.scene.control.Label} or
 * {@code io.tcplens.ui.source.SourceControls} inline, which hid package cycles). Comments, strings
 * and the import lines do not count. A name stays qualified only where its simple name would clash
 * (e.g. {@code javafx.util.Duration} in a file that imports {@code java.time.Duration}); those are
 * listed with their reason in {@code inline-qualified-names.txt} (the clean-up script that imports
 * the names writes it with {@code --allowlist}). An entry whose name is no longer there fails too, so
 * the list stays true.
 */
class NoInlineQualifiedNamesTest {
    private static final Path MAIN = Path.of("src", "main", "java");
    private static final List<Path> ALL = List.of(MAIN, Path.of("src", "test", "java"));
    private static final String ALLOWED = "inline-qualified-names.txt";
    private static final Pattern PACKAGE = Pattern.compile("(?m)^\\s*package\\s+([\\w.]+)\\s*;");
    private static final Pattern IMPORT = Pattern.compile("(?m)^\\s*import\\s+(static\\s+)?([\\w.]+)(\\.\\*)?\\s*;");

    @Test
    void mainCodeImportsItsTypes() throws IOException {
        Scanner scanner = Scanner.ofTree(ALL);
        Map<String, String> allowed = allowed();
        Set<String> found = new TreeSet<>();
        int files = 0;
        try (Stream<Path> walk = Files.walk(MAIN)) {
            for (Path f : walk.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                files++;
                String rel = MAIN.relativize(f).toString();
                for (String name : scanner.qualifiedNames(Files.readString(f))) found.add(rel + "|" + name);
            }
        }
        assertTrue(files > 300, "the scan found the sources (" + files + " files)");
        List<String> notAllowed = found.stream().filter(k -> !allowed.containsKey(k)).toList();
        assertEquals(List.of(), notAllowed, "inline qualified type names: import them, "
                + "or list a real clash in " + ALLOWED);
        List<String> stale = allowed.keySet().stream().filter(k -> !found.contains(k)).toList();
        assertEquals(List.of(), stale, ALLOWED + " lists names no longer written inline: remove them");
    }

    @Test
    void theScanSeesCodeOnly() {
        Scanner scanner = new Scanner(Set.of("java", "javafx", "io"),
                Set.of("java.util", "java.time", "javafx.scene.control", "javafx.util", "io.tcplens.model"));
        String source = """
                package io.tcplens.x;

                import java.util.List;
                import static java.util.Map.entry;

                /** See {@link javafx.scene.control.Label}. */
                class X {
                    // java.util.Set is not code here
                    String s = "javafx.scene.control.Button";
                    char c = '"';
                    java.util.Map<String, io.tcplens.model.TcpState> m;
                    Object d = javafx.util.Duration.millis(5);
                    Object t = text.java.Foo; // a field chain, not a package
                    int n = java.util
                            .Locale.ROOT.hashCode();
                }
                """;
        assertEquals(List.of("java.util.Map", "io.tcplens.model.TcpState", "javafx.util.Duration", "java.util.Locale"),
                scanner.qualifiedNames(source));
    }

    /** path|name -> reason, from the list beside this test. */
    private static Map<String, String> allowed() throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (InputStream in = Objects.requireNonNull(NoInlineQualifiedNamesTest.class.getResourceAsStream(ALLOWED), ALLOWED)) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] f = line.split("\\|", 3);
                assertTrue(f.length == 3 && !f[2].isBlank(), ALLOWED + ": path|name|reason, with a reason: " + line);
                out.put(f[0].strip() + "|" + f[1].strip(), f[2].strip());
            }
        }
        return out;
    }

    /** Finds qualified type names written in code (not in comments, strings or package/import lines). */
    record Scanner(Set<String> roots, Set<String> packages) {
        /** Roots and packages from the tree's own packages and imports, and the JDK's packages. */
        static Scanner ofTree(List<Path> roots) throws IOException {
            Set<String> first = new HashSet<>(Set.of("java", "javax", "jdk"));
            Set<String> packages = new HashSet<>();
            ModuleLayer.boot().modules().forEach(m -> packages.addAll(m.getPackages()));
            for (Path root : roots) {
                try (Stream<Path> walk = Files.walk(root)) {
                    for (Path f : walk.filter(p -> p.toString().endsWith(".java")).toList()) {
                        String code = mask(Files.readString(f));
                        Matcher p = PACKAGE.matcher(code);
                        if (p.find()) {
                            packages.add(p.group(1));
                            first.add(p.group(1).split("\\.")[0]);
                        }
                        Matcher i = IMPORT.matcher(code);
                        while (i.find()) {
                            String[] parts = i.group(2).split("\\.");
                            first.add(parts[0]);
                            int upper = 0;
                            while (upper < parts.length && !Character.isUpperCase(parts[upper].charAt(0))) upper++;
                            if (upper > 0 && (upper < parts.length || i.group(3) != null))
                                packages.add(String.join(".", List.of(parts).subList(0, upper)));
                        }
                    }
                }
            }
            return new Scanner(first, packages);
        }

        List<String> qualifiedNames(String source) {
            String code = mask(source);
            List<int[]> header = new ArrayList<>();
            for (Pattern p : List.of(PACKAGE, IMPORT)) {
                Matcher m = p.matcher(code);
                while (m.find()) header.add(new int[] {m.start(), m.end()});
            }
            Pattern qualified = Pattern.compile("(?<![\\w.$])((?:" + String.join("|", new TreeSet<>(roots))
                    + ")(?:\\s*\\.\\s*[a-z_][a-z0-9_]*)*)\\s*\\.\\s*([A-Z][A-Za-z0-9_]*)\\b");
            List<String> out = new ArrayList<>();
            Matcher m = qualified.matcher(code);
            while (m.find()) {
                int at = m.start();
                if (header.stream().anyMatch(h -> h[0] <= at && at < h[1])) continue;
                String pkg = m.group(1).replaceAll("\\s+", "");
                if (packages.contains(pkg)) out.add(pkg + "." + m.group(2));
            }
            return out;
        }
    }

    /** The source with comments, strings, text blocks and char literals blanked (line breaks kept). */
    static String mask(String src) {
        char[] out = src.toCharArray();
        int i = 0, n = src.length();
        while (i < n) {
            char c = src.charAt(i);
            int j;
            if (src.startsWith("//", i)) {
                j = src.indexOf('\n', i);
                j = j < 0 ? n : j;
            } else if (src.startsWith("/*", i)) {
                j = src.indexOf("*/", i + 2);
                j = j < 0 ? n : j + 2;
            } else if (src.startsWith("\"\"\"", i)) {
                j = i + 3;
                while (j < n && !src.startsWith("\"\"\"", j)) j += src.charAt(j) == '\\' ? 2 : 1;
                j = Math.min(n, j + 3);
            } else if (c == '"' || c == '\'') {
                j = i + 1;
                while (j < n && src.charAt(j) != c && src.charAt(j) != '\n') j += src.charAt(j) == '\\' ? 2 : 1;
                j = Math.min(n, j + 1);
            } else {
                i++;
                continue;
            }
            for (int k = i; k < j; k++) if (out[k] != '\n') out[k] = ' ';
            i = j;
        }
        return new String(out);
    }
}
