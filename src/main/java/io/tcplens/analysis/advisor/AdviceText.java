package io.tcplens.analysis.advisor;

import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;

/** Renders the advisor's {@link Text}s from its bundle ({@value #BUNDLE}). */
public final class AdviceText {
    public static final String BUNDLE = "io.tcplens.analysis.advisor.advice";
    private final ResourceBundle bundle;

    private AdviceText(ResourceBundle bundle) {
        this.bundle = bundle;
    }

    public static AdviceText forLocale(Locale locale) {
        return new AdviceText(ResourceBundle.getBundle(BUNDLE, locale));
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
}
