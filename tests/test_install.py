"""install/install.sh: where the kernelspec goes and what kernel.json says."""
from __future__ import annotations

import json
import os
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
