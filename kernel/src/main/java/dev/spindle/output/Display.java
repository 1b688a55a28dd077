package dev.spindle.output;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Rich output from cells: {@code display(x)} shows any value now (text, HTML, Markdown, SVG,
 * images, charts) and returns a handle to update it in place; {@code clearOutput()} clears the
 * cell. Statically imported in every cell.
 * <pre>{@code
 * var progress = display("starting...");
 * for (int i = 1; i <= 3; i++) progress.update("step " + i + " of 3");
 * display(html("<b>done</b>"));
 * }</pre>
 */
public final class Display {
    private static volatile DisplayService service;

    private Display() {
    }

    /** Wired by the kernel through {@link DisplayService#install()}; not for cells (they import this class). */
    static void install(DisplayService s) {
        service = s;
    }

    static DisplayService service() {
        DisplayService s = service;
        if (s == null) throw new IllegalStateException("display is only available inside the Spindle kernel");
        return s;
    }

    /**
     * Shows {@code value} in the output of the current cell and returns a handle whose
     * {@link DisplayHandle#update(Object) update} replaces it in place. Strings show as plain
     * text, {@link MimeBundle}s (see {@link #html}, {@link #markdown}, {@link #svg}) and images
     * ({@code java.awt.image.BufferedImage}) with their rich types, anything else by
     * {@code toString()}.
     */
    public static DisplayHandle display(Object value) {
        return service().display(value, CellContexts.current());
    }

    /** Clears the output of the current cell now. */
    public static void clearOutput() {
        clearOutput(false);
    }

    /**
     * Clears the output of the current cell; with {@code wait}, the frontend clears it only when
     * new output arrives, which avoids flicker in animations.
     */
    public static void clearOutput(boolean wait) {
        service().clear(CellContexts.current(), wait);
    }

    /** HTML shown as HTML (and as its source in plain-text exports). */
    public static MimeBundle html(String html) {
        return bundle("text/html", html, html);
    }

    /** Markdown rendered by the frontend. */
    public static MimeBundle markdown(String markdown) {
        return bundle("text/markdown", markdown, markdown);
    }

    /** An SVG image given as its XML text. */
    public static MimeBundle svg(String svgXml) {
        return bundle("image/svg+xml", svgXml, "[SVG image]");
    }

    /** A PNG image given as its bytes. */
    public static MimeBundle png(byte[] png) {
        return bundle("image/png", Base64.getEncoder().encodeToString(png), "[PNG image]");
    }

    /** A JPEG image given as its bytes. */
    public static MimeBundle jpeg(byte[] jpeg) {
        return bundle("image/jpeg", Base64.getEncoder().encodeToString(jpeg), "[JPEG image]");
    }

    /** LaTeX math, e.g. {@code latex("$e^{i\\pi} + 1 = 0$")}. */
    public static MimeBundle latex(String latex) {
        return bundle("text/latex", latex, latex);
    }

    /** Any single MIME type with its data (base64 for binary types). */
    public static MimeBundle mime(String mimeType, String data) {
        return bundle(mimeType, data, "[" + mimeType + "]");
    }

    private static MimeBundle bundle(String type, String data, String plain) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(type, data);
        m.put("text/plain", plain);
        return new MimeBundle(m);
    }
}
