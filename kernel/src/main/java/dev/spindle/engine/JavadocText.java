package dev.spindle.engine;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A doc comment as a reader sees it in the inspector: inline tags ({@code {@code x}},
 * {@code {@link A#b}}) become text, {@code <pre>} blocks become Markdown code fences, and
 * paragraph tags become blank lines. Only the markup javadoc itself would render is touched.
 */
final class JavadocText {
    private static final Pattern PRE_CODE = Pattern.compile("(?s)<pre>\\s*\\{@code\\s?(.*?)}\\s*</pre>");
    private static final Pattern PRE = Pattern.compile("(?s)<pre>(.*?)</pre>");
    private static final Pattern CODE = Pattern.compile("\\{@(?:code|literal)\\s+([^{}]*(?:\\{[^{}]*}[^{}]*)*)}");
    private static final Pattern LINK = Pattern.compile("\\{@link(?:plain)?\\s+([^\\s}]+)(?:\\s+([^}]*))?}");
    private static final Pattern VALUE = Pattern.compile("\\{@value\\s+([^}]*)}");

    private JavadocText() {
    }

    static String markdown(String javadoc) {
        return render(javadoc, true);
    }

    static String plain(String javadoc) {
        return render(javadoc, false);
    }

    private static String render(String javadoc, boolean md) {
        String s = javadoc;
        s = replace(PRE_CODE, s, m -> md ? "\n```java\n" + m.group(1).stripTrailing() + "\n```\n" : "\n" + m.group(1).stripTrailing() + "\n");
        s = replace(PRE, s, m -> md ? "\n```\n" + m.group(1).strip() + "\n```\n" : "\n" + m.group(1).strip() + "\n");
        s = replace(CODE, s, m -> md ? "`" + m.group(1) + "`" : m.group(1));
        s = replace(LINK, s, m -> {
            String text = m.group(2) != null && !m.group(2).isBlank() ? m.group(2).strip()
                    : m.group(1).replaceFirst("^#", "").replace('#', '.');
            return md ? "`" + text + "`" : text;
        });
        s = replace(VALUE, s, m -> m.group(1).replace('#', '.'));
        s = s.replaceAll("(?i)<p>\\s*", "\n\n").replaceAll("(?i)</p>", "");
        return s.replaceAll("\n{3,}", "\n\n").strip();
    }

    private static String replace(Pattern p, String s, java.util.function.Function<Matcher, String> f) {
        Matcher m = p.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) m.appendReplacement(out, Matcher.quoteReplacement(f.apply(m)));
        m.appendTail(out);
        return out.toString();
    }
}
