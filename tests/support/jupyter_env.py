"""Shared helpers for tests that need Jupyter: an isolated environment, the
kernel jar and a kernelspec installed through install/install.sh.

Imported by conftest.py, the support modules, the install / notebook / JupyterLab tests and
tests/bench/kernel_bench.py.
"""
from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]  # tests/support/jupyter_env.py
JAR = REPO / "kernel" / "target" / "spindle-kernel.jar"
INSTALL_SH = REPO / "install" / "install.sh"
VENV_BIN = REPO / ".venv" / "bin"
ARTIFACTS = REPO / "tests" / "artifacts"  # screenshots and samples the tests leave for a reader
KERNEL_NAME = "spindle"
DISPLAY_NAME = "Java (Spindle)"

# Inputs whose change makes the jar out of date.
_BUILD_INPUTS = [REPO / "pom.xml", REPO / "kernel" / "pom.xml", REPO / "kernel" / "src" / "main"]
BUILD_TIMEOUT = 600


def _newest_input_mtime() -> float:
    newest = 0.0
    for p in _BUILD_INPUTS:
        if p.is_file():
            newest = max(newest, p.stat().st_mtime)
        elif p.is_dir():
            for root, _dirs, files in os.walk(p):
                for f in files:
                    try:
                        newest = max(newest, os.stat(os.path.join(root, f)).st_mtime)
                    except OSError:
                        pass
    return newest


def jar_is_current() -> bool:
    return JAR.is_file() and JAR.stat().st_mtime >= _newest_input_mtime()


def build_jar(force: bool = False) -> Path:
    """Build kernel/target/spindle-kernel.jar with Maven if it is missing or
    older than its sources. A file lock keeps concurrent callers to one build.
    Raises RuntimeError with Maven's output when the build fails."""
    if not force and jar_is_current():
        return JAR
    lock_path = REPO / "kernel" / "target" / ".spindle-build.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not force and jar_is_current():
                return JAR
            proc = subprocess.run(
                ["mvn", "-B", "-q", "-DskipTests", "package"],
                cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                text=True, timeout=BUILD_TIMEOUT,
            )
            if proc.returncode != 0 or not JAR.is_file():
                raise RuntimeError(
                    f"mvn package failed (exit {proc.returncode}); output:\n{proc.stdout[-8000:]}")
            # Make sure a jar that Maven left untouched still counts as current.
            os.utime(JAR, None)
            return JAR
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def isolated_env(tmp_dir) -> dict:
    """A copy of os.environ whose Jupyter/IPython dirs and HOME all live under
    tmp_dir, with the project's .venv/bin first on PATH."""
    tmp = Path(tmp_dir).resolve()
    env = dict(os.environ)
    dirs = {
        "HOME": tmp / "home",
        "JUPYTER_DATA_DIR": tmp / "jupyter-data",
        "JUPYTER_CONFIG_DIR": tmp / "jupyter-config",
        "JUPYTER_RUNTIME_DIR": tmp / "jupyter-runtime",
        "IPYTHONDIR": tmp / "ipython",
    }
    for key, path in dirs.items():
        path.mkdir(parents=True, exist_ok=True)
        env[key] = str(path)
    # JUPYTER_PATH is searched before the data dir; point it at the isolated data dir
    # so no user-wide or system-wide spindle spec is picked up ahead of ours.
    env["JUPYTER_PATH"] = str(dirs["JUPYTER_DATA_DIR"])
    # Keep sys.prefix kernels (e.g. the venv's python3) visible but nothing from ~.
    env.pop("JUPYTER_PREFER_ENV_PATH", None)
    path_parts = [str(VENV_BIN)] if VENV_BIN.is_dir() else []
    path_parts.append(str(Path(sys.executable).parent))
    path_parts += [p for p in env.get("PATH", "").split(os.pathsep) if p and p not in path_parts]
    env["PATH"] = os.pathsep.join(path_parts)
    if VENV_BIN.is_dir():
        env["VIRTUAL_ENV"] = str(VENV_BIN.parent)
    env.pop("PYTHONHOME", None)
    # Maven's local repository normally lives in ~/.m2; keep using the real one
    # if install.sh has to build, rather than re-downloading into the temp HOME.
    real_m2 = Path(os.path.expanduser("~")) / ".m2"
    if real_m2.is_dir() and "MAVEN_OPTS" not in env:
        env["MAVEN_OPTS"] = f"-Dmaven.repo.local={real_m2 / 'repository'}"
    return env


def install_kernel(env: dict, java: str, *extra_args: str, timeout: float = 300) -> str:
    """Run install/install.sh --java JAVA with env (which must set
    JUPYTER_DATA_DIR, as isolated_env does); return the kernel directory."""
    build_jar()
    proc = subprocess.run(
        ["bash", str(INSTALL_SH), "--java", str(java), *extra_args],
        env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, timeout=timeout,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"install.sh failed (exit {proc.returncode}):\n{proc.stdout}")
    kernel_dir = Path(env["JUPYTER_DATA_DIR"]) / "kernels" / KERNEL_NAME
    if not (kernel_dir / "kernel.json").is_file():
        raise RuntimeError(f"install.sh did not write {kernel_dir}/kernel.json:\n{proc.stdout}")
    return str(kernel_dir)


def default_java() -> str:
    """The java used when tests are not given --java: $JAVA_HOME/bin/java, else PATH."""
    jh = os.environ.get("JAVA_HOME")
    if jh and os.access(os.path.join(jh, "bin", "java"), os.X_OK):
        return os.path.join(jh, "bin", "java")
    import shutil
    found = shutil.which("java")
    return os.path.realpath(found) if found else "java"

