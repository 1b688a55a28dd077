package dev.spindle.output;

/**
 * An output that can be changed after it was shown: {@link #update(Object)} replaces it in
 * place, wherever it is (an update_display_data message with the same display id).
 */
public final class DisplayHandle {
    private final String id;
    private final CellContext cell;

    DisplayHandle(String id, CellContext cell) {
        this.id = id;
        this.cell = cell;
    }

    /** The display id, unique within the kernel. */
    public String id() {
        return id;
    }

    /** Replaces the shown output with {@code value}, rendered like {@link Display#display(Object)}. */
    public void update(Object value) {
        Display.service().update(this, value, cell);
    }

    @Override
    public String toString() {
        return "DisplayHandle[" + id + "]";
    }
}
