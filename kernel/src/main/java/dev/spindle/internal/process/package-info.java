/**
 * The kernel side of child JVMs: where a child JVM starts ({@link dev.spindle.internal.process.ChildLauncher},
 * with its class-data archive and spares), one running child and its pipes, the process worker and
 * the process pool, the shipment of the notebook to a child, and the reading of what a child
 * reports. {@link dev.spindle.internal.process.WorkerRuntime} owns all of it for one kernel,
 * with the IPC hub and the shared-memory directory. Cells never import this package: they call
 * {@code dev.spindle.concurrent}, whose front doors reach the current runtime.
 */
package dev.spindle.internal.process;
