package dev.spindle.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class UserNamesTest {
    @Test
    void helpfulNullPointerMessagesNameTheVariable() {
        assertEquals("Cannot invoke \"String.length()\" because variable o is null",
                UserNames.message("Cannot invoke \"String.length()\" because \"REPL.$JShell$103.o\" is null"));
        assertEquals("Cannot read field \"x\" because the return value of \"find()\" is null",
                UserNames.message("Cannot read field \"x\" because the return value of \"REPL.$JShell$7B.find()\" is null"));
    }

    @Test
    void cellClassesLoseTheirWrapper() {
        assertEquals("Point", UserNames.className("REPL.$JShell$12$Point"));
        assertEquals("java.lang.String", UserNames.className("java.lang.String"));
        assertEquals("class A cannot be cast to class B",
                UserNames.message("class REPL.$JShell$15$A cannot be cast to class REPL.$JShell$16$B (REPL.$JShell$15$A and "
                        + "REPL.$JShell$16$B are in unnamed module of loader "
                        + "jdk.jshell.execution.DefaultLoaderDelegate$RemoteClassLoader @5e9f23b4)"));
    }

    @Test
    void compileMessagesDropTheEmptyLocation() {
        assertEquals("cannot find symbol\n  symbol:   variable nope",
                UserNames.compileMessage("cannot find symbol\n  symbol:   variable nope\n  location: class "));
        assertEquals("cannot find symbol\n  symbol:   method m()\n  location: class Point",
                UserNames.compileMessage("cannot find symbol\n  symbol:   method m()\n  location: class Point"));
    }

    @Test
    void plainMessagesAreUntouched() {
        assertEquals("/ by zero", UserNames.message("/ by zero"));
        assertNull(UserNames.message(null));
    }
}
