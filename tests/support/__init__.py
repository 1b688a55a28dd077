"""Helpers shared by Spindle's end-to-end tests. Test modules import from here (never from
each other, nor from conftest.py); conftest.py turns them into fixtures.

- jupyter_env: isolated Jupyter environments, the kernel jar build, kernelspec install
  (also used by tests/bench/kernel_bench.py).
- messages: the client side of the protocol (Mailbox, execute / collect -> Result, request).
- kernel: the test install of the kernelspec, a Kernel started from it, the SharedKernel.
- processes: end_process (the one way a test stops a process it started) and /proc reading.
- children: the kernel's child JVMs (find, wait until gone, kill, stop the workers).
- notebooks: nbclient runs, nbconvert to HTML, the SVG charts in that HTML.
- lab: JupyterLab servers and Playwright pages on them.
"""
