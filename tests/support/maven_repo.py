"""A Maven repository made by the tests, in a temp dir, served as a ``file://`` URL (or over
HTTP on 127.0.0.1 by ``SlowRepoServer``, to see download progress): POMs, jars of tiny classes
compiled with the JDK's javac, and their SHA-1 files. ``settings_home`` writes a private HOME
whose ``~/.m2/settings.xml`` points the kernel at its own local repository and mirrors Maven
Central to the test repository, so the tests never touch the real ~/.m2 or the network.
"""
from __future__ import annotations

import hashlib
import http.server
import subprocess
import tempfile
import threading
import time
import zipfile
from pathlib import Path

GROUP = "t.spindle"


class MavenRepo:
    def __init__(self, root: Path, javac: str):
        self.root = Path(root)
        self.javac = javac
        self.root.mkdir(parents=True, exist_ok=True)

    @property
    def url(self) -> str:
        return self.root.resolve().as_uri() + "/"

    def artifact_dir(self, group: str, artifact: str, version: str) -> Path:
        return self.root / group.replace(".", "/") / artifact / version

    def publish(self, artifact: str, version: str, sources: dict[str, str], deps=(), classifier: str = "",
                group: str = GROUP, classpath=()) -> Path:
        """Publishes group:artifact:version: a jar of `sources` (class name -> Java source)
        compiled against `classpath`, and a POM listing `deps` ("g:a:v" or "g:a:v:scope")."""
        d = self.artifact_dir(group, artifact, version)
        d.mkdir(parents=True, exist_ok=True)
        dep_xml = ""
        for dep in deps:
            p = dep.split(":")
            scope = f"<scope>{p[3]}</scope>" if len(p) > 3 else ""
            dep_xml += (f"    <dependency><groupId>{p[0]}</groupId><artifactId>{p[1]}</artifactId>"
                        f"<version>{p[2]}</version>{scope}</dependency>\n")
        pom = (f'<project xmlns="http://maven.apache.org/POM/4.0.0">\n  <modelVersion>4.0.0</modelVersion>\n'
               f"  <groupId>{group}</groupId>\n  <artifactId>{artifact}</artifactId>\n  <version>{version}</version>\n"
               f"  <dependencies>\n{dep_xml}  </dependencies>\n</project>\n")
        self._write(d / f"{artifact}-{version}.pom", pom.encode())
        jar = d / f"{artifact}-{version}{'-' + classifier if classifier else ''}.jar"
        self._write(jar, self._jar(sources, classpath))
        return jar

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        path.write_bytes(data)
        path.with_name(path.name + ".sha1").write_text(hashlib.sha1(data).hexdigest())

    def _jar(self, sources: dict[str, str], classpath) -> bytes:
        with tempfile.TemporaryDirectory() as tmp:
            src, out = Path(tmp, "src"), Path(tmp, "out")
            files = []
            for name, code in sources.items():
                f = src / (name.replace(".", "/") + ".java")
                f.parent.mkdir(parents=True, exist_ok=True)
                f.write_text(code)
                files.append(str(f))
            cmd = [self.javac, "--release", "17", "-d", str(out)]
            if classpath:
                cmd += ["-cp", ":".join(str(c) for c in classpath)]
            proc = subprocess.run(cmd + files, capture_output=True, text=True, timeout=120)
            if proc.returncode != 0:
                raise RuntimeError(f"javac failed: {proc.stderr}")
            jar = Path(tmp, "a.jar")
            with zipfile.ZipFile(jar, "w") as z:
                for c in sorted(out.rglob("*.class")):
                    z.write(c, c.relative_to(out).as_posix())
            return jar.read_bytes()


def constant(class_name: str, value: str, extra: str = "") -> dict[str, str]:
    """A class with `public static String value()` returning `value` (plus `extra` members)."""
    pkg, simple = class_name.rsplit(".", 1)
    return {class_name: f'package {pkg}; public class {simple} {{ public static String value() {{ return "{value}"; }} {extra} }}'}


def settings_home(home: Path, repo_url: str, local: Path, extra: str = "") -> Path:
    """A HOME whose Maven settings use `local` as the local repository and mirror Central to
    the test repository."""
    m2 = home / ".m2"
    m2.mkdir(parents=True, exist_ok=True)
    (m2 / "settings.xml").write_text(
        f"<settings>\n  <localRepository>{local}</localRepository>\n  {extra}\n"
        f"  <mirrors><mirror><id>testrepo</id><mirrorOf>central</mirrorOf><url>{repo_url}</url></mirror></mirrors>\n"
        "</settings>\n")
    return home


class SlowRepoServer:
    """Serves a directory over HTTP on 127.0.0.1, each file after `delay` s, so that a
    resolution lasts long enough to show its progress. Stopped by stop() (or as a context)."""

    def __init__(self, root: Path, delay: float):
        root = str(root)

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *a, **kw):
                super().__init__(*a, directory=root, **kw)

            def do_GET(self):  # noqa: N802 - http.server's name
                time.sleep(delay)  # the point of this server: a slow network, not synchronisation
                super().do_GET()

            def log_message(self, *a):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(10)
