"""install/install.sh (where the kernelspec goes, what kernel.json says, when a re-run keeps it)
and install/spindle lab (no Maven on a current jar, JupyterLab only, pip failures)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path

import pytest

# `java` (the --java option, an absolute path) comes from conftest.py.
from support.jupyter_env import (INSTALL_SH, JAR, KERNEL_NAME, DISPLAY_NAME, VENV_BIN, build_jar,
                                 install_kernel, isolated_env)


@pytest.fixture(scope="module", autouse=True)
def _jar():
    build_jar()


def run_install(env: dict, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(INSTALL_SH), *args], env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=timeout)


def read_spec(kernel_dir) -> dict:
    with open(Path(kernel_dir) / "kernel.json") as f:
        return json.load(f)


def check_spec(spec: dict, java: str) -> None:
    argv = spec["argv"]
    assert argv[0] == java
    assert os.path.isabs(argv[0])
    i = argv.index("-jar")
    assert argv[i + 1] == str(JAR)
    assert os.path.isabs(argv[i + 1])
    assert argv[i + 2:] == ["--connection-file", "{connection_file}"]
    for flag in ("-XX:+UseSerialGC", "-Xss2m", "-XX:MaxHeapFreeRatio=30", "-XX:MinHeapFreeRatio=10"):
        assert flag in argv[:i]
    assert spec["display_name"] == DISPLAY_NAME
    assert spec["language"] == "java"
    assert spec["interrupt_mode"] == "message"


def test_help():
    proc = run_install(dict(os.environ), "--help", timeout=30)
    assert proc.returncode == 0
    assert "Usage: install/install.sh" in proc.stdout
    for opt in ("--java", "--user", "--sys-prefix", "--prefix", "SPINDLE_JAVA_OPTS"):
        assert opt in proc.stdout


def test_unknown_option_fails(tmp_path):
    proc = run_install(isolated_env(tmp_path), "--bogus", timeout=30)
    assert proc.returncode == 2
    assert "unknown option: --bogus" in proc.stdout


def test_missing_java_fails_clearly(tmp_path):
    proc = run_install(isolated_env(tmp_path), "--java", str(tmp_path / "no-such-java"), timeout=30)
    assert proc.returncode != 0
    assert "no such file" in proc.stdout
    assert not (tmp_path / "jupyter-data" / "kernels" / KERNEL_NAME).exists()


def test_install_into_jupyter_data_dir(tmp_path, java):
    env = isolated_env(tmp_path)
    kernel_dir = install_kernel(env, java)
    assert Path(kernel_dir) == tmp_path.resolve() / "jupyter-data" / "kernels" / KERNEL_NAME
    spec = read_spec(kernel_dir)
    check_spec(spec, java)
    for logo in ("logo-32x32.png", "logo-64x64.png"):
        data = (Path(kernel_dir) / logo).read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
    # The class-data archive is optional (made by the kernel's --warmup); when the
    # spec uses one, it lives next to kernel.json and the JVM logs only to stderr.
    shared = [a for a in spec["argv"] if a.startswith("-XX:SharedArchiveFile=")]
    if shared:
        jsa = Path(shared[0].split("=", 1)[1])
        assert jsa.parent == Path(kernel_dir)
        assert jsa.is_file() and jsa.stat().st_size > 0
        assert "-Xshare:auto" in spec["argv"]
        assert "-Xlog:all=warning:stderr" in spec["argv"]
        assert spec["argv"].index(shared[0]) < spec["argv"].index("-jar")


def test_rerun_replaces_old_spec(tmp_path, java):
    env = isolated_env(tmp_path)
    env_opts = dict(env, SPINDLE_JAVA_OPTS="-Xmx321m  -Dspindle.test=yes")
    kernel_dir = install_kernel(env_opts, java, "--no-cds")
    argv = read_spec(kernel_dir)["argv"]
    i = argv.index("-jar")
    assert "-Xmx321m" in argv[:i] and "-Dspindle.test=yes" in argv[:i]
    stray = Path(kernel_dir) / "stray.txt"
    stray.write_text("left from an old install")

    kernel_dir2 = install_kernel(env, java, "--no-cds")
    assert kernel_dir2 == kernel_dir
    argv2 = read_spec(kernel_dir2)["argv"]
    assert "-Xmx321m" not in argv2
    assert not stray.exists(), "re-running install.sh should replace the whole kernelspec dir"
    check_spec(read_spec(kernel_dir2), java)


def test_prefix_dir(tmp_path, java):
    env = isolated_env(tmp_path)
    prefix = tmp_path / "prefix"
    proc = run_install(env, "--java", java, "--no-cds", "--prefix", str(prefix))
    assert proc.returncode == 0, proc.stdout
    kernel_dir = prefix / "share" / "jupyter" / "kernels" / KERNEL_NAME
    check_spec(read_spec(kernel_dir), java)
    assert str(kernel_dir) in proc.stdout, "install.sh should print where it installed"
    assert not (tmp_path / "jupyter-data" / "kernels" / KERNEL_NAME).exists()


def test_without_jupyter_computes_the_path(tmp_path, java):
    env = dict(isolated_env(tmp_path), SPINDLE_JUPYTER="none")
    proc = run_install(env, "--java", java, "--no-cds")
    assert proc.returncode == 0, proc.stdout
    kernel_dir = Path(env["JUPYTER_DATA_DIR"]) / "kernels" / KERNEL_NAME
    check_spec(read_spec(kernel_dir), java)
    proc = run_install(env, "--java", java, "--no-cds", "--prefix", str(tmp_path / "p2"))
    assert proc.returncode == 0, proc.stdout
    check_spec(read_spec(tmp_path / "p2" / "share" / "jupyter" / "kernels" / KERNEL_NAME), java)


def test_default_user_dir_without_jupyter_data_dir(tmp_path, java):
    env = isolated_env(tmp_path)
    del env["JUPYTER_DATA_DIR"]
    env.pop("XDG_DATA_HOME", None)
    env["JUPYTER_PATH"] = ""
    proc = run_install(env, "--java", java, "--no-cds")
    assert proc.returncode == 0, proc.stdout
    kernel_dir = Path(env["HOME"]) / ".local" / "share" / "jupyter" / "kernels" / KERNEL_NAME
    check_spec(read_spec(kernel_dir), java)


def test_kernelspec_list_shows_spindle(tmp_path, java):
    env = isolated_env(tmp_path)
    kernel_dir = install_kernel(env, java, "--no-cds")
    jupyter = VENV_BIN / "jupyter"
    if not jupyter.exists():
        pytest.skip(f"{jupyter} is missing: create .venv (install/spindle test does)")
    proc = subprocess.run([str(jupyter), "kernelspec", "list", "--json"], env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    specs = json.loads(proc.stdout)["kernelspecs"]
    assert KERNEL_NAME in specs, specs.keys()
    assert Path(specs[KERNEL_NAME]["resource_dir"]).resolve() == Path(kernel_dir).resolve()
    assert specs[KERNEL_NAME]["spec"]["display_name"] == DISPLAY_NAME
    assert specs[KERNEL_NAME]["spec"]["language"] == "java"
    plain = subprocess.run([str(jupyter), "kernelspec", "list"], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=60)
    assert any(line.split()[:1] == [KERNEL_NAME] for line in plain.stdout.splitlines()), plain.stdout


# ---- re-running with nothing changed ------------------------------------------

STAMP = ".spindle-install-stamp"
UP_TO_DATE = "is up to date (same java, jar and options)"


def test_rerun_with_nothing_changed_keeps_spec_and_archive(tmp_path, java):
    env = isolated_env(tmp_path)
    kernel_dir = Path(install_kernel(env, java))
    spec = (kernel_dir / "kernel.json").read_bytes()
    assert (kernel_dir / STAMP).is_file()
    jsa = kernel_dir / "spindle-cds.jsa"
    jsa_mtime = jsa.stat().st_mtime_ns if jsa.exists() else None
    proc = run_install(env, "--java", java)
    assert proc.returncode == 0, proc.stdout
    assert UP_TO_DATE in proc.stdout
    assert "created class-data archive" not in proc.stdout
    assert (kernel_dir / "kernel.json").read_bytes() == spec
    if jsa_mtime is not None:
        assert jsa.stat().st_mtime_ns == jsa_mtime, "the class-data archive was remade"
    # --force reinstalls anyway (without an archive here, to stay quick).
    proc = run_install(env, "--java", java, "--no-cds", "--force")
    assert proc.returncode == 0, proc.stdout
    assert UP_TO_DATE not in proc.stdout
    assert not jsa.exists()


def test_rerun_reinstalls_when_java_or_jar_changes(tmp_path, java):
    env = isolated_env(tmp_path)
    kernel_dir = Path(install_kernel(env, java, "--no-cds"))
    proc = run_install(env, "--java", java, "--no-cds")
    assert UP_TO_DATE in proc.stdout, proc.stdout
    # Another java (here the same JDK reached by another path) is a change.
    other = tmp_path / "other-java"
    other.symlink_to(java)
    proc = run_install(env, "--java", str(other), "--no-cds")
    assert proc.returncode == 0, proc.stdout
    assert UP_TO_DATE not in proc.stdout
    assert read_spec(kernel_dir)["argv"][0] == str(other)
    # A jar with other content at the same path is a change; the same content is not.
    jar = tmp_path / "copy.jar"
    jar.write_bytes(JAR.read_bytes())
    proc = run_install(env, "--java", java, "--no-cds", "--jar", str(jar))
    assert UP_TO_DATE not in proc.stdout, proc.stdout
    os.utime(jar, (1, 1))
    proc = run_install(env, "--java", java, "--no-cds", "--jar", str(jar))
    assert UP_TO_DATE in proc.stdout, proc.stdout
    jar.write_bytes(JAR.read_bytes() + b"\0")
    proc = run_install(env, "--java", java, "--no-cds", "--jar", str(jar))
    assert proc.returncode == 0, proc.stdout
    assert UP_TO_DATE not in proc.stdout


def test_missing_jdk_sources_says_how_to_get_them(tmp_path, java):
    """A JDK without lib/src.zip (JShell's source of JDK Javadoc): install.sh
    names what to install. The JDK is faked by a java whose java.home points at
    an empty directory."""
    fake_home = tmp_path / "jdk-without-sources"
    (fake_home / "lib").mkdir(parents=True)
    wrapper = tmp_path / "bin" / "java"
    wrapper.parent.mkdir()
    wrapper.write_text("#!/bin/sh\n"
                       f"if [ \"$1\" = -XshowSettings:properties ]; then\n"
                       f"  \"{java}\" \"$@\" 2>&1 | sed 's|^\\( *java\\.home = \\).*|\\1{fake_home}|'\n"
                       f"else exec \"{java}\" \"$@\"; fi\n")
    wrapper.chmod(0o755)
    env = dict(isolated_env(tmp_path), SPINDLE_APT="0")
    proc = run_install(env, "--java", str(wrapper), "--no-cds")
    assert proc.returncode == 0, proc.stdout
    assert f"{fake_home}/lib/src.zip is missing" in proc.stdout
    assert "-source" in proc.stdout, "the note should name the package to install"


# ---- install/spindle lab ------------------------------------------------------

SPINDLE = INSTALL_SH.parent / "spindle"


def closed_port() -> int:
    """A local TCP port nothing listens on (bound, then released, never listened)."""
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_lab_on_current_jar_skips_maven_installs_lab_only_and_names_the_index(tmp_path):
    """`install/spindle lab` with the jar up to date, no Jupyter anywhere and an
    unreachable package index: Maven is not run, the new venv is asked for
    JupyterLab only (no test stack), and the failure names the index to change."""
    assert build_jar() == JAR
    fake_bin = tmp_path / "fake-bin"
    fake_bin.mkdir()
    mvn_called = tmp_path / "mvn-called"
    (fake_bin / "mvn").write_text(f"#!/bin/sh\ntouch '{mvn_called}'\nexit 1\n")
    (fake_bin / "mvn").chmod(0o755)
    index = f"http://127.0.0.1:{closed_port()}/simple"
    env = isolated_env(tmp_path)
    for key in [k for k in env if k.startswith("PIP_") or k.lower().endswith("_proxy")]:
        del env[key]
    env.update(
        # No jupyter on PATH (only the system's tools and the failing mvn).
        PATH=os.pathsep.join([str(fake_bin), "/usr/bin", "/bin"]),
        SPINDLE_VENV=str(tmp_path / "venv"),
        PIP_CONFIG_FILE=os.devnull,   # none of the machine's pip settings
        PIP_INDEX_URL=index,
        PIP_DEFAULT_TIMEOUT="5",
        CI="true",
    )
    env.pop("VIRTUAL_ENV", None)
    # Its own process group, so that pip (or a JupyterLab that should not have
    # started) goes with it if the time runs out.
    proc = subprocess.Popen(["bash", str(SPINDLE), "lab", "--no-browser"], env=env, cwd=tmp_path,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=240)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(30)
    assert "kernel jar is up to date" in out, out
    assert not mvn_called.exists(), "Maven ran although the jar is up to date"
    installing = [line for line in out.splitlines() if "installing into" in line]
    assert installing, out
    packages = installing[0].rsplit(": ", 1)[1].split()
    assert "jupyterlab" in packages
    for test_only in ("playwright", "pytest", "nbconvert"):
        assert test_only not in packages, installing[0]
    assert proc.returncode != 0
    assert "pip could not install" in out
    assert index in out, "the failure should name the index pip tried"
    assert "PIP_INDEX_URL" in out and "HTTPS_PROXY" in out
    assert "starting JupyterLab" not in out
