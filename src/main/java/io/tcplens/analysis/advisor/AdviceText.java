package io.tcplens.analysis.advisor;

import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.Set;

/** Renders the advisor's {@link Text}s from its bundle ({@value #BUNDLE}). */
public final class AdviceText {
    public static final String BUNDLE = "io.tcplens.analysis.advisor.advice";
    /** Where each sentence of {@link #BUNDLE} that speaks of a sysctl comes from, by the same key. */
    public static final String CITATIONS = "io.tcplens.analysis.advisor.citations";
    private final ResourceBundle bundle;
    private final ResourceBundle citations;

    private AdviceText(ResourceBundle bundle, ResourceBundle citations) {
        this.bundle = bundle;
        this.citations = citations;
    }

    public static AdviceText forLocale(Locale locale) {
        return new AdviceText(ResourceBundle.getBundle(BUNDLE, locale), ResourceBundle.getBundle(CITATIONS, locale));
    }

    /** The bundle's own language (English): what tests and logs read. */
    public static AdviceText english() {
        return forLocale(Locale.ENGLISH);
    }

    public ResourceBundle bundle() {
        return bundle;
    }

    public String render(Text t) {
        Object[] args = new Object[t.args().size()];
        for (int i = 0; i < args.length; i++) {
            Object a = t.args().get(i);
            // numbers are written as they are (ports, sysctl values); counts come formatted by Units
            args[i] = a instanceof Text sub ? render(sub) : a instanceof Number n ? n.toString() : a;
        }
        MessageFormat f = new MessageFormat(bundle.getString(t.key()), bundle.getLocale());
        return f.format(args);
    }

    public List<String> render(List<Text> texts) {
        return texts.stream().map(this::render).toList();
    }

    /**
     * Where the sentence's statements come from (the {@value #CITATIONS} bundle: a section of the
     * kernel's documentation, its source, or behaviour measured on a real kernel), with the sources of
     * the fragments it contains, distinct, joined by "; "; null when it cites nothing (a sentence
     * that only reports what was observed here).
     */
    public String source(Text t) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        collectSources(t, out);
        return out.isEmpty() ? null : String.join("; ", out);
    }

    /** {@link #source(Text)} of each text, null where none. */
    public List<String> sources(List<Text> texts) {
        List<String> out = new ArrayList<>(texts.size());
        for (Text t : texts) out.add(source(t));
        return Collections.unmodifiableList(out);
    }

    private void collectSources(Text t, Set<String> out) {
        if (citations.containsKey(t.key())) {
            for (String part : citations.getString(t.key()).split("; ")) out.add(part.strip());
        }
        for (Object a : t.args()) if (a instanceof Text sub) collectSources(sub, out);
    }
}
