package dev.spindle.output;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

import static org.junit.jupiter.api.Assertions.*;

/** Every cell does {@code import static dev.spindle.output.Display.*}: nothing there may rewire the kernel. */
class DisplayApiTest {
    @Test
    void cellsCannotReplaceTheDisplayService() {
        for (Method m : Display.class.getDeclaredMethods()) {
            if (!Modifier.isPublic(m.getModifiers())) continue;
            for (Class<?> p : m.getParameterTypes()) {
                assertNotEquals(DisplayService.class, p, "Display." + m.getName() + " takes the kernel's service");
            }
            assertNotEquals("install", m.getName());
        }
    }

    @Test
    void withoutAnInstalledServiceDisplayFailsClearly() {
        DisplayService.uninstall();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Display.display("x"));
        assertTrue(e.getMessage().contains("Spindle kernel"), e.getMessage());
    }
}
