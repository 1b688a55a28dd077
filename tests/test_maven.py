"""%maven end to end: libraries from a Maven repository in the kernel, its threads and pools,
and the child JVMs it starts, as a notebook user meets them.

The repository is made here (tests/support/maven_repo.py: POMs and jars of tiny classes
compiled with the JDK's javac) and reached as a file:// URL through a mirror of Central in a
private HOME's ~/.m2/settings.xml, with a private local repository: the default run never
touches the real ~/.m2 nor the network. One test resolves a real artifact from Maven Central
and is skipped, with the reason, when Central cannot be reached.

Every wait is bounded; nothing sleeps to synchronise.
"""
from __future__ import annotations

import os
import re
import socket
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from support import jupyter_env
from support.children import PROCESS_CELL_TIMEOUT, child_jvms
from support.kernel import Kernel
from support.maven_repo import MavenRepo, SlowRepoServer, constant, settings_home
from support.processes import cmdline

pytestmark = pytest.mark.usefixtures("stop_leftover_workers")

CELL_TIMEOUT = 60.0
# Packages the kernel uses internally (relocated in its jar): a notebook's own copies must win.
KERNEL_LIBRARIES = {
    "com.google.gson.Gson": "Gson",
    "org.zeromq.ZMQ": "JeroMQ",
    "org.objectweb.asm.ClassReader": "ASM",
    "org.jfree.chart.JFreeChart": "JFreeChart",
    "io.github.spencerpark.jupyter.kernel.BaseKernel": "basekernel",
    "org.eclipse.aether.RepositorySystem": "Maven Resolver",
    "org.apache.maven.model.Model": "Maven model",
    "org.codehaus.plexus.util.StringUtils": "Plexus",
    "org.slf4j.LoggerFactory": "SLF4J",
}


@pytest.fixture(scope="module")
def javac(java) -> str:
    path = Path(java).resolve().parent / "javac"
    if not path.is_file():
        pytest.skip(f"no javac beside {java}: the test repository needs one to compile its classes")
    return str(path)


@pytest.fixture(scope="module")
def repo(tmp_path_factory, javac) -> MavenRepo:
    r = MavenRepo(tmp_path_factory.mktemp("maven-repo"), javac)
    words = r.publish("words", "1.0", constant("t.spindle.words.Words", "hello"))
    r.publish("greeter", "1.0", {"t.spindle.greeter.Greeter":
              "package t.spindle.greeter; public class Greeter { public static String greet(String n) {"
              " return t.spindle.words.Words.value() + \", \" + n; } }"}, deps=["t.spindle:words:1.0"],
              classpath=[words])
    r.publish("common", "1.0", constant("t.spindle.common.Common", "1.0"))
    r.publish("common", "2.0", constant("t.spindle.common.Common", "2.0"))
    r.publish("mid", "1.0", constant("t.spindle.mid.Mid", "mid"), deps=["t.spindle:common:2.0"])
    r.publish("app", "1.0", constant("t.spindle.app.App", "app"), deps=["t.spindle:mid:1.0", "t.spindle:common:1.0"])
    sources = {}
    for cls in KERNEL_LIBRARIES:
        sources.update(constant(cls, "notebook"))
    r.publish("clash", "1.0", sources)
    for name in ("late", "spare", "words2", "pomlib", "after", "classified"):
        r.publish(name, "1.0", constant(f"t.spindle.{name}.{name.capitalize()}", name),
                  classifier="linux" if name == "classified" else "")
    return r


@pytest.fixture(scope="module")
def maven_env(repo, tmp_path_factory, spindle_install) -> dict:
    """A private HOME (settings: local repository, Central mirrored to the test repository);
    the child-JVM archive cache stays the install's, so children start as fast as elsewhere."""
    root = tmp_path_factory.mktemp("maven-home")
    home = settings_home(root / "home", repo.url, root / "local")
    return {"HOME": str(home), "XDG_CACHE_HOME": str(Path(spindle_install.env["HOME"]) / ".cache"),
            "LOCAL_REPO": str(root / "local")}


@pytest.fixture(scope="module")
def _maven_kernel(spindle_install, maven_env):
    env = {k: v for k, v in maven_env.items() if k != "LOCAL_REPO"}
    k = Kernel(spindle_install, name="maven", extra_env=env).start()
    yield k
    k.stop()


@pytest.fixture
def kernel(_maven_kernel, request):
    """This module's kernel (its settings point at the test repository); overrides conftest's."""
    assert _maven_kernel.is_alive(), _maven_kernel.diagnostics()
    _maven_kernel.mailbox.drain()
    yield _maven_kernel
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        print(f"\n[{request.node.nodeid}] kernel pid {_maven_kernel.pid}\n{_maven_kernel.diagnostics()}")


def failure(res) -> str:
    return "\n".join(e.get("ename", "") + ": " + e.get("evalue", "") for e in res.errors)


# ------------------------------------------------------------------------------- resolving

def test_maven_resolves_transitively_and_the_next_statement_uses_it(kernel):
    res = kernel.execute('%maven t.spindle:greeter:1.0\nt.spindle.greeter.Greeter.greet("you")',
                         timeout=CELL_TIMEOUT).assert_ok()
    assert res.text == '"hello, you"', res
    assert "added 2 jars to the class path" in res.stdout, res.stdout
    assert "t.spindle:greeter:1.0\n└── t.spindle:words:1.0" in res.stdout, res.stdout


def test_rerunning_the_cell_is_a_no_op_that_says_so(kernel):
    res = kernel.execute("%maven t.spindle:greeter:1.0", timeout=CELL_TIMEOUT).assert_ok()
    assert "already loaded: t.spindle:greeter:1.0 (nothing to do)" in res.stdout, res
    listing = kernel.execute("%maven").assert_ok().stdout
    assert "asked for: t.spindle:greeter:1.0" in listing and "t.spindle:words:1.0" in listing, listing


def test_threads_and_thread_pools_see_the_jars(kernel):
    res = kernel.execute(
        'var onThread = Workers.thread((Task<String>) () -> t.spindle.greeter.Greeter.greet("thread")).start().result();\n'
        "String inPool;\n"
        'try (var pool = Pools.threads(2)) { inPool = pool.submit((Task<String>) () -> t.spindle.words.Words.value()).get(); }\n'
        'onThread + " | " + inPool', timeout=CELL_TIMEOUT).assert_ok()
    assert res.text == '"hello, thread | hello"', res


def test_a_child_jvm_and_a_process_pool_use_the_library(kernel):
    res = kernel.execute(
        'var inChild = Workers.process((Task<String>) () -> t.spindle.greeter.Greeter.greet("child")).start().result();\n'
        "List<String> fromPool;\n"
        "try (var pool = Pools.processes(2)) {\n"
        '    fromPool = pool.map(i -> t.spindle.greeter.Greeter.greet("p" + i), List.of(1, 2, 3));\n'
        "}\n"
        'inChild + " | " + fromPool', timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    assert res.text == '"hello, child | [hello, p1, hello, p2, hello, p3]"', res


def test_a_child_started_before_keeps_its_class_path_and_says_so(kernel):
    kernel.execute('var early = Pools.processes(1);\nearly.submit((Task<String>) () -> "up").get()',
                   timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    kernel.execute("%maven t.spindle:late:1.0", timeout=CELL_TIMEOUT).assert_ok()
    res = kernel.execute(
        "try { early.submit((Task<String>) () -> t.spindle.late.Late.value()).get(); }\n"
        'catch (ExecutionException e) { System.out.println("early: " + e.getCause().getMessage()); }\n'
        "early.close();\n"
        'try (var fresh = Pools.processes(1)) { System.out.println("fresh: " + fresh.submit((Task<String>) () -> t.spindle.late.Late.value()).get()); }',
        timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    assert ("early: the task needs t.spindle.late.Late from late-1.0.jar, which was added to the notebook after"
            " this child JVM") in res.stdout, res
    assert "Start a new process worker or pool" in res.stdout, res
    assert "fresh: late" in res.stdout, res


def test_spare_jvms_are_refreshed_with_the_new_library(kernel):
    # A process worker turns spares on; the spare that follows it is started before the %maven.
    kernel.execute("Workers.process((Task<Long>) () -> ProcessHandle.current().pid()).start().result()",
                   timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    before = wait_for(lambda: child_jvms(ppid=kernel.pid), 30, "a spare child JVM")
    assert all("spare-1.0.jar" not in " ".join(cmdline(p) or []) for p in before)
    kernel.execute("%maven t.spindle:spare:1.0", timeout=CELL_TIMEOUT).assert_ok()

    def refreshed():
        now = child_jvms(ppid=kernel.pid)
        return now if now and not (now & before) and all(
            "spare-1.0.jar" in " ".join(cmdline(p) or []) for p in now) else None
    spares = wait_for(refreshed, 30, "spares restarted with spare-1.0.jar on their class path")
    res = kernel.execute(
        'Workers.process((Task<String>) () -> t.spindle.spare.Spare.value() + " " + ProcessHandle.current().pid()).start().result()',
        timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    m = re.fullmatch(r'"spare (\d+)"', res.text or "")
    assert m, res
    assert int(m.group(1)) in spares, f"the task ran in a refreshed spare {spares}: {res.text}"


def test_nearest_wins_and_another_version_is_refused(kernel):
    res = kernel.execute("%maven t.spindle:app:1.0\nt.spindle.common.Common.value()", timeout=CELL_TIMEOUT).assert_ok()
    assert res.text == '"1.0"', res
    assert "nearest wins: t.spindle:common 1.0 chosen over 2.0 (asked for by t.spindle:mid:1.0)" in res.stdout, res
    refused = kernel.execute("%maven t.spindle:common:2.0", timeout=CELL_TIMEOUT)
    assert refused.status == "error", refused
    msg = failure(refused)
    assert "VersionConflict" in msg and "t.spindle:common:1.0 is already on the class path" in msg, msg
    assert "Restart the kernel" in msg, msg
    assert kernel.execute("t.spindle.common.Common.value()").assert_ok().text == '"1.0"'


def test_classifiers_work_as_in_maven(kernel):
    res = kernel.execute("%maven t.spindle:classified:jar:linux:1.0\nt.spindle.classified.Classified.value()",
                         timeout=CELL_TIMEOUT).assert_ok()
    assert res.text == '"classified"', res


# ------------------------------------------------------------------------------- no clashes

def test_a_notebook_loads_its_own_copies_of_the_kernels_libraries(kernel):
    classes = ", ".join(f"{c}.class" for c in KERNEL_LIBRARIES)
    res = kernel.execute(
        "%maven t.spindle:clash:1.0\n"
        f"for (Class<?> c : List.<Class<?>>of({classes})) {{\n"
        '    System.out.println(c.getName() + " " + c.getMethod("value").invoke(null) + " "\n'
        "        + Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).getFileName());\n"
        "}", timeout=CELL_TIMEOUT).assert_ok()
    for cls in KERNEL_LIBRARIES:
        assert f"{cls} notebook clash-1.0.jar" in res.stdout, res
    # The kernel goes on using its own (relocated) copies: resolving, charts, child JVMs.
    res = kernel.execute("%maven t.spindle:after:1.0\nt.spindle.after.After.value()", timeout=CELL_TIMEOUT).assert_ok()
    assert res.text == '"after"', res
    res = kernel.execute("Workers.process((Task<String>) () -> com.google.gson.Gson.value()).start().result()",
                         timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    assert res.text == '"notebook"', res


def test_the_kernel_jar_hides_its_internals():
    """Every class in the kernel's jar is under dev/spindle (its libraries relocated there), and
    every service file names a relocated interface: nothing of ours can shadow a notebook's."""
    with zipfile.ZipFile(jupyter_env.build_jar()) as z:
        names = z.namelist()
    stray = [n for n in names if n.endswith(".class")
             and not re.match(r"(META-INF/versions/\d+/)?dev/spindle/", n)]
    assert not stray, f"classes outside dev/spindle in the kernel jar: {stray[:20]}"
    services = [n for n in names if n.startswith("META-INF/services/") and not n.endswith("/")]
    assert all(n[len("META-INF/services/"):].startswith("dev.spindle.") for n in services), services


# ------------------------------------------------------------------------------- bad input

def test_malformed_coordinates_get_the_usage_line(kernel):
    for bad in ("%maven guava", "%maven a:b", "%mavenRepo onlyid", "%mavenRepo x ftp://host/"):
        res = kernel.execute(bad)
        assert res.status == "error" and "UsageError" in failure(res), (bad, res)
        assert "Usage:" in failure(res), failure(res)
    kernel.assert_usable()


def test_a_missing_artifact_names_the_coordinates_and_the_repositories(kernel):
    res = kernel.execute("%maven t.spindle:nope:1.0", timeout=CELL_TIMEOUT)
    msg = failure(res)
    assert res.status == "error" and "cannot resolve t.spindle:nope:1.0" in msg, res
    assert "testrepo (file:" in msg and "mirror of central" in msg, msg
    assert "Nothing was added" in msg, msg


def test_no_network_is_an_error_within_seconds_unless_local(kernel):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again below: nothing listens there
    kernel.execute(f"%mavenRepo dead http://127.0.0.1:{port}/maven2/").assert_ok()
    t0 = time.monotonic()
    res = kernel.execute("%maven t.spindle:nowhere:1.0", timeout=CELL_TIMEOUT)
    took = time.monotonic() - t0
    assert res.status == "error" and f"dead (http://127.0.0.1:{port}/maven2/)" in failure(res), res
    assert took < 10, f"{took:.1f} s to fail with an unreachable repository"
    # What the local repository has resolves all the same.
    kernel.execute("%maven t.spindle:words:1.0", timeout=CELL_TIMEOUT).assert_ok()


def test_a_failure_midway_adds_nothing(kernel):
    res = kernel.execute("%maven t.spindle:words2:1.0 t.spindle:nope2:1.0", timeout=CELL_TIMEOUT)
    assert res.status == "error" and "Nothing was added" in failure(res), res
    assert "words2" not in kernel.execute("%maven").assert_ok().stdout
    out = kernel.execute('String probe() { try { Class.forName("t.spindle.words2.Words2"); return "loaded"; }'
                         ' catch (ClassNotFoundException e) { return "absent"; } }\nprobe()').assert_ok()
    assert out.text == '"absent"', out


# ------------------------------------------------------------------------------- POMs

def test_pom_cell_and_load_from_pom(kernel, tmp_path):
    res = kernel.execute(
        "%%pom\n<dependencies>\n"
        "  <dependency><groupId>t.spindle</groupId><artifactId>pomlib</artifactId><version>1.0</version></dependency>\n"
        "  <dependency><groupId>t.spindle</groupId><artifactId>app</artifactId><version>1.0</version><scope>test</scope></dependency>\n"
        "</dependencies>", timeout=CELL_TIMEOUT).assert_ok()
    assert "added 1 jar" in res.stdout and "t.spindle:app:1.0 (scope test)" in res.stdout, res
    assert kernel.execute("t.spindle.pomlib.Pomlib.value()").assert_ok().text == '"pomlib"'
    pom = tmp_path / "pom.xml"
    pom.write_text('<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>'
                   "<groupId>me</groupId><artifactId>nb</artifactId><version>1</version>"
                   "<properties><v>1.0</v></properties><dependencies><dependency><groupId>t.spindle</groupId>"
                   "<artifactId>pomlib</artifactId><version>${v}</version></dependency></dependencies></project>")
    res = kernel.execute(f"%loadFromPOM {pom}", timeout=CELL_TIMEOUT).assert_ok()
    assert "already loaded: t.spindle:pomlib:1.0" in res.stdout, res
    bad = kernel.execute("%%pom\n<dependencies><dependency>")
    assert bad.status == "error" and "not well-formed" in failure(bad), bad


# ------------------------------------------------------------------------------- progress

def test_a_long_download_shows_progress_in_place(kernel, repo, tmp_path):
    slow = MavenRepo(tmp_path / "slow", repo.javac)
    dep = slow.publish("slowdep", "1.0", constant("t.spindle.slowdep.Slowdep", "dep"))
    slow.publish("slow", "1.0", constant("t.spindle.slow.Slow", "slow"), deps=["t.spindle:slowdep:1.0"])
    assert dep.is_file()
    with SlowRepoServer(slow.root, delay=0.25) as server:
        kernel.execute(f"%mavenRepo slow {server.url}").assert_ok()
        res = kernel.execute("%maven t.spindle:slow:1.0\nt.spindle.slow.Slow.value()", timeout=CELL_TIMEOUT).assert_ok()
    assert res.text == '"slow"', res
    shown = res.displays
    assert len(shown) == 1 and shown[0]["data"]["text/plain"].startswith("downloading"), res
    display_id = shown[0]["transient"]["display_id"]
    updates = res.updates
    assert updates and all(u["transient"]["display_id"] == display_id for u in updates), res
    assert re.match(r"downloaded 4 of 4 files, [\d.]+ (B|KB)", updates[-1]["data"]["text/plain"]), updates[-1]
    assert "downloaded 4 files" in res.stdout, res.stdout


# ------------------------------------------------------------------------------- other settings

def test_offline_mode_resolves_only_what_is_local(start_kernel, maven_env, repo, tmp_path, kernel):
    kernel.execute("%maven t.spindle:greeter:1.0", timeout=CELL_TIMEOUT).assert_ok()  # in the local repository now
    home = settings_home(tmp_path / "home", repo.url, Path(maven_env["LOCAL_REPO"]), extra="<offline>true</offline>")
    k = start_kernel("maven-offline", extra_env={"HOME": str(home), "XDG_CACHE_HOME": maven_env["XDG_CACHE_HOME"]})
    res = k.execute('%maven t.spindle:greeter:1.0\nt.spindle.greeter.Greeter.greet("offline")', timeout=CELL_TIMEOUT)
    assert res.assert_ok().text == '"hello, offline"', res
    t0 = time.monotonic()
    res = k.execute("%maven t.spindle:common:2.0", timeout=CELL_TIMEOUT)
    assert res.status == "error" and "offline" in failure(res), res
    assert time.monotonic() - t0 < 10


def central_reachable() -> str | None:
    url = "https://repo.maven.apache.org/maven2/com/google/code/gson/gson/2.8.9/gson-2.8.9.pom"
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return None if r.status == 200 else f"Maven Central answered {r.status}"
    except Exception as e:  # noqa: BLE001 - any failure means: not reachable from here
        return f"Maven Central is not reachable from here ({e})"


def test_a_real_artifact_from_maven_central(start_kernel, tmp_path, maven_env):
    why = central_reachable()
    if why:
        pytest.skip(why)
    home = tmp_path / "home"
    (home / ".m2").mkdir(parents=True)
    (home / ".m2" / "settings.xml").write_text(f"<settings><localRepository>{tmp_path / 'local'}</localRepository></settings>")
    k = start_kernel("maven-central", extra_env={"HOME": str(home), "XDG_CACHE_HOME": maven_env["XDG_CACHE_HOME"]})
    # An old Gson beside the kernel's own (relocated) newer one.
    res = k.execute('%maven com.google.code.gson:gson:2.8.9\nnew com.google.gson.Gson().toJson(Map.of("a", 1))',
                    timeout=120).assert_ok()
    assert res.text == '"{\\"a\\":1}"', res
    where = k.execute("com.google.gson.Gson.class.getProtectionDomain().getCodeSource().getLocation().getPath()").assert_ok()
    assert where.text.endswith('gson-2.8.9.jar"'), where
    assert (tmp_path / "local" / "com/google/code/gson/gson/2.8.9/gson-2.8.9.jar").is_file()


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise TimeoutError(f"no {what} within {timeout:.0f} s")
        time.sleep(0.05)  # polling interval of a bounded wait, not synchronisation
