/**
 * The wire format between the kernel and a child JVM: frames on the child's stdin and stdout,
 * the run request, the task's outcome, IPC requests and replies, and the serialization both
 * sides use. The child runtime ({@code dev.spindle.child}) depends on this package and on the
 * user API only.
 */
package dev.spindle.internal.process.wire;
