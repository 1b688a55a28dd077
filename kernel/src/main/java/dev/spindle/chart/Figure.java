package dev.spindle.chart;

import dev.spindle.output.DisplayHandle;
import dev.spindle.output.MimeBundle;

import java.util.List;

/**
 * Something drawn from data: a {@link Chart}, or several charts side by side
 * ({@link #row(Chart...)}). Every figure renders three ways, all from the same data: Vega-Lite
 * (interactive in JupyterLab), SVG (kept by HTML and PDF export) and a plain-text table.
 */
public interface Figure {
    /** A Vega-Lite v5 spec (JSON text, with {@code $schema}) that JupyterLab draws natively. */
    String toVegaLite();

    /**
     * A standalone SVG image: same data gives the same bytes, with its own white background so it
     * reads in light and dark themes.
     */
    String toSvg();

    /** The data as a plain-text table, for terminals, logs and text-only exports. */
    String toText();

    /**
     * All representations in one bundle ({@code application/vnd.vegalite.v5+json},
     * {@code image/svg+xml}, {@code image/png}, {@code text/plain}); a cell whose last
     * expression is this bundle shows the chart.
     */
    default MimeBundle toMimeBundle() {
        return ChartBundles.of(this, toText());
    }

    /**
     * Shows the figure in the current cell's output now and returns a handle to replace it later.
     *
     * @throws IllegalStateException outside the Spindle kernel
     */
    default DisplayHandle display() {
        return dev.spindle.output.Display.display(toMimeBundle());
    }

    /** The charts side by side, left to right, as one figure (one display, one image). */
    static Figure row(Chart... charts) {
        return new ChartRow(List.of(charts));
    }
}
