#!/usr/bin/env bash
# Registers the Spindle kernel (Java in JShell) as the Jupyter kernelspec "spindle".
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
KERNEL_NAME="spindle"
DISPLAY_NAME="Java (Spindle)"
DEFAULT_JAR="$REPO/kernel/target/spindle-kernel.jar"

usage() {
  cat <<EOF
Usage: install/install.sh [options]

Registers the Jupyter kernelspec "$KERNEL_NAME" ("$DISPLAY_NAME") for the Spindle
kernel jar. Re-running replaces the spec installed before at the same place, unless
that spec was made from the same java, jar and options (a stamp file next to
kernel.json records them): then it is kept as it is, class-data archive included.

Where it goes (like 'jupyter kernelspec install'):
  --user            the user's Jupyter data dir (default): \$JUPYTER_DATA_DIR/kernels/$KERNEL_NAME
                    when JUPYTER_DATA_DIR is set, else ~/.local/share/jupyter/kernels/$KERNEL_NAME
  --sys-prefix      the Python environment of the 'jupyter' used (e.g. a venv)
  --prefix DIR      DIR/share/jupyter/kernels/$KERNEL_NAME

Options:
  --java PATH       the java to run the kernel with (JDK 17 or newer). Default:
                    \$JAVA_HOME/bin/java, else 'java' on PATH (resolved to an absolute path)
  --jar PATH        the kernel jar (default: kernel/target/spindle-kernel.jar, built
                    with Maven when missing)
  --no-cds          do not create the AppCDS archive (faster install, slower kernel start)
  --force           reinstall even when the installed spec is up to date
  -h, --help        show this help

Environment:
  SPINDLE_JAVA_OPTS extra JVM flags for the kernel, split on whitespace, added to
                    the kernelspec's argv (e.g. SPINDLE_JAVA_OPTS="-Xmx2g")
  SPINDLE_JUPYTER   the 'jupyter' command to install with; 'none' computes the
                    path without it. Default: 'jupyter' on PATH, else .venv/bin/jupyter
  SPINDLE_APT=0     never install the JDK's sources (src.zip, for Javadoc in Shift+Tab)
                    with apt-get; by default a root install on Debian/Ubuntu installs
                    the missing openjdk-N-source package
EOF
}

die() { echo "install.sh: error: $*" >&2; exit 1; }
note() { echo "install.sh: $*"; }

JAVA=""
JAR=""
MODE="user"
PREFIX=""
CDS=1
FORCE=0
while [ $# -gt 0 ]; do
  case "$1" in
    --java) [ $# -ge 2 ] || die "--java needs a path"; JAVA="$2"; shift 2 ;;
    --java=*) JAVA="${1#--java=}"; shift ;;
    --jar) [ $# -ge 2 ] || die "--jar needs a path"; JAR="$2"; shift 2 ;;
    --jar=*) JAR="${1#--jar=}"; shift ;;
    --user) MODE="user"; shift ;;
    --sys-prefix) MODE="sys-prefix"; shift ;;
    --prefix) [ $# -ge 2 ] || die "--prefix needs a directory"; MODE="prefix"; PREFIX="$2"; shift 2 ;;
    --prefix=*) MODE="prefix"; PREFIX="${1#--prefix=}"; shift ;;
    --no-cds) CDS=0; shift ;;
    --force) FORCE=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install.sh: unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
done

# Absolute path of a file without resolving symlinks.
abspath() {
  local p="$1"
  case "$p" in
    /*) printf '%s\n' "$p" ;;
    *) printf '%s/%s\n' "$(cd "$(dirname "$p")" && pwd)" "$(basename "$p")" ;;
  esac
}

# ---- java --------------------------------------------------------------------
if [ -n "$JAVA" ]; then
  case "$JAVA" in
    */*) [ -e "$JAVA" ] || die "--java $JAVA: no such file"; JAVA="$(abspath "$JAVA")" ;;
    *) found="$(command -v "$JAVA" || true)"; [ -n "$found" ] || die "--java $JAVA: not found on PATH"
       JAVA="$(abspath "$found")" ;;
  esac
elif [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  JAVA="$(abspath "$JAVA_HOME/bin/java")"
else
  found="$(command -v java || true)"
  [ -n "$found" ] || die "no java found: install JDK 17 or newer, set JAVA_HOME, or pass --java PATH"
  # Pin the kernel to the JDK it was installed (and archived) with.
  JAVA="$(readlink -f "$found")"
fi
[ -x "$JAVA" ] || die "$JAVA is not executable"

# Starting a JVM to read its properties costs a good part of a second on a busy
# machine, so it happens only when needed: not when the installed spec is up to
# date and the JVM can be recognised from its files (see jvm_fingerprint).
JAVA_PROPS=""
JAVA_SPEC=""
JAVA_MAJOR=""
probe_java() {
  [ -z "$JAVA_SPEC" ] || return 0
  JAVA_PROPS="$("$JAVA" -XshowSettings:properties -version 2>&1 || true)"
  JAVA_SPEC="$(java_prop 'java\.specification\.version')"
  [ -n "$JAVA_SPEC" ] || die "could not run $JAVA -version"
  JAVA_MAJOR="${JAVA_SPEC#1.}"; JAVA_MAJOR="${JAVA_MAJOR%%.*}"
  case "$JAVA_MAJOR" in (*[!0-9]*|'') die "unexpected Java version '$JAVA_SPEC' from $JAVA" ;; esac
  [ "$JAVA_MAJOR" -ge 17 ] || die "$JAVA is Java $JAVA_SPEC; Spindle needs Java 17 or newer (use --java PATH)"
}
java_prop() { printf '%s\n' "$JAVA_PROPS" | sed -n "s/^ *$1 = //p" | head -n1; }

# The JDK the java binary belongs to (java.home is the directory above bin/).
JAVA_REAL="$(readlink -f "$JAVA" 2>/dev/null || printf '%s\n' "$JAVA")"
JDK_HOME="$(dirname "$(dirname "$JAVA_REAL")")"

# The JVM's identity from its files: libjvm's size and time and the release
# file. A JDK updated in place keeps its path but not these; the class-data
# archive belongs to one JVM build. Empty when the layout is not recognised.
jvm_fingerprint() {
  local f
  for f in lib/server/libjvm.so lib/server/libjvm.dylib; do
    if [ -f "$JDK_HOME/$f" ] && [ -f "$JDK_HOME/release" ]; then
      echo "$f $(wc -c <"$JDK_HOME/$f" | tr -d ' ') $(date -r "$JDK_HOME/$f" +%s) release $(cksum <"$JDK_HOME/release" | tr ' ' '-')"
      return 0
    fi
  done
}
JVM_ID="$(jvm_fingerprint)"
# Not recognised from its files: ask the JVM itself now (and fail early).
if [ -z "$JVM_ID" ]; then
  probe_java
  JVM_ID="runtime $(java_prop 'java\.runtime\.version') vm $(java_prop 'java\.vm\.version') home $(java_prop 'java\.home')"
fi

# ---- jar ---------------------------------------------------------------------
if [ -z "$JAR" ]; then
  JAR="$DEFAULT_JAR"
  if [ ! -f "$JAR" ]; then
    if command -v mvn >/dev/null 2>&1; then
      note "kernel jar missing; building it: (cd $REPO && mvn -B -q -DskipTests package)"
      (cd "$REPO" && mvn -B -q -DskipTests package) || die "the Maven build failed; fix it and re-run"
      [ -f "$JAR" ] || die "the build did not produce $JAR"
    else
      die "$JAR is missing and Maven (mvn) is not installed. Install Maven, then build with: (cd $REPO && mvn -B -q -DskipTests package)"
    fi
  fi
else
  [ -f "$JAR" ] || die "--jar $JAR: no such file"
fi
JAR="$(abspath "$JAR")"

# ---- JDK sources ---------------------------------------------------------------
# JShell shows JDK Javadoc (Shift+Tab on String.format) only from the JDK's
# lib/src.zip, which Debian and Ubuntu ship apart, as openjdk-N-source.
JDK_SRC="$JDK_HOME/lib/src.zip"

# The distribution package with this JDK's sources, when dpkg knows the JDK.
jdk_source_package() {
  command -v dpkg >/dev/null 2>&1 || return 0
  local owner
  owner="$(dpkg -S "$(readlink -f "$JAVA")" 2>/dev/null | head -n1 | cut -d: -f1)"
  case "$owner" in
    openjdk-[0-9]*-*) printf '%s-source\n' "$(printf '%s\n' "$owner" | sed -E 's/^(openjdk-[0-9]+)-.*/\1/')" ;;
  esac
}

# check_jdk_sources [install]: says how to get src.zip when it is missing; with
# "install", installs the package when running as root with apt-get and the
# package is known to apt (no prompt, bounded time; SPINDLE_APT=0 turns it off).
check_jdk_sources() {
  [ ! -f "$JDK_SRC" ] || return 0
  # Not a JDK directory (a java reached through a wrapper): ask the JVM for its home.
  if [ ! -f "$JDK_HOME/release" ]; then
    probe_java
    if [ -n "$(java_prop 'java\.home')" ] && [ "$(java_prop 'java\.home')" != "$JDK_HOME" ]; then
      JDK_HOME="$(java_prop 'java\.home')"; JDK_SRC="$JDK_HOME/lib/src.zip"
      [ ! -f "$JDK_SRC" ] || return 0
    fi
  fi
  local pkg cand
  pkg="$(jdk_source_package)"
  if [ -n "$pkg" ] && [ "${1:-}" = "install" ] && [ "${SPINDLE_APT:-1}" != "0" ] && [ "$(id -u)" = "0" ] \
      && command -v apt-get >/dev/null 2>&1; then
    cand="$(apt-cache policy "$pkg" 2>/dev/null | sed -n 's/^ *Candidate: //p' | head -n1)"
    if [ -n "$cand" ] && [ "$cand" != "(none)" ]; then
      note "installing $pkg (the JDK's src.zip, for JDK Javadoc in Shift+Tab): apt-get install -y $pkg"
      local TO=()
      if command -v timeout >/dev/null 2>&1; then TO=(timeout 300); fi
      if DEBIAN_FRONTEND=noninteractive ${TO[@]+"${TO[@]}"} apt-get install -y -q --no-install-recommends \
           "$pkg" </dev/null >/dev/null 2>&1 && [ -f "$JDK_SRC" ]; then
        note "installed $pkg: $JDK_SRC"
        return 0
      fi
      note "could not install $pkg with apt-get"
    fi
  fi
  note "note: $JDK_SRC is missing, so Shift+Tab shows JDK methods without their Javadoc."
  if [ -n "$pkg" ]; then
    note "  to add it: apt-get install $pkg   (as root; the JDK's sources for $JAVA)"
  else
    probe_java
    note "  to add it: install the sources of the JDK in $JDK_HOME (Debian/Ubuntu: openjdk-$JAVA_MAJOR-source,"
    note "  Fedora/RHEL: java-$JAVA_MAJOR-openjdk-src; Temurin and Oracle JDKs include lib/src.zip)"
  fi
}

# ---- jupyter -----------------------------------------------------------------
JUPYTER="${SPINDLE_JUPYTER:-}"
if [ -z "$JUPYTER" ]; then
  if command -v jupyter >/dev/null 2>&1 && jupyter kernelspec --version >/dev/null 2>&1; then
    JUPYTER="$(command -v jupyter)"
  elif [ -x "$REPO/.venv/bin/jupyter" ] && "$REPO/.venv/bin/jupyter" kernelspec --version >/dev/null 2>&1; then
    JUPYTER="$REPO/.venv/bin/jupyter"
  else
    JUPYTER="none"
  fi
fi

# ---- up to date? -------------------------------------------------------------
# Where the spec will go, computed without starting Python's jupyter (that
# takes most of a second); empty when it cannot be told.
user_data_dir() {
  if [ -n "${JUPYTER_DATA_DIR:-}" ]; then printf '%s\n' "$JUPYTER_DATA_DIR"
  elif [ "$(uname -s)" = "Darwin" ]; then printf '%s\n' "$HOME/Library/Jupyter"
  else printf '%s\n' "${XDG_DATA_HOME:-$HOME/.local/share}/jupyter"; fi
}
sys_prefix_python() {
  if [ "$JUPYTER" != "none" ]; then
    local d; d="$(dirname "$JUPYTER")"
    if [ -x "$d/python" ]; then printf '%s\n' "$d/python"; return; fi
    if [ -x "$d/python3" ]; then printf '%s\n' "$d/python3"; return; fi
    return 0
  fi
  command -v python3 || true
}
planned_dest() {
  local py
  case "$MODE" in
    user) printf '%s\n' "$(user_data_dir)/kernels/$KERNEL_NAME" ;;
    prefix) printf '%s\n' "$PREFIX/share/jupyter/kernels/$KERNEL_NAME" ;;
    sys-prefix)
      # A venv's jupyter: sys.prefix is the venv, which has pyvenv.cfg.
      if [ "$JUPYTER" != "none" ] && [ -f "$(dirname "$(dirname "$JUPYTER")")/pyvenv.cfg" ]; then
        printf '%s\n' "$(dirname "$(dirname "$JUPYTER")")/share/jupyter/kernels/$KERNEL_NAME"
        return 0
      fi
      py="$(sys_prefix_python)"
      [ -z "$py" ] || printf '%s\n' "$("$py" -c 'import sys; print(sys.prefix)' 2>/dev/null)/share/jupyter/kernels/$KERNEL_NAME" ;;
  esac
}

file_sum() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum <"$1" | cut -d' ' -f1
  else cksum <"$1" | tr ' ' '-'; fi
}

# Everything the installed spec and its class-data archive depend on. The
# archive belongs to one JVM build and one jar (by content): a JDK updated in
# place keeps its path, so the stamp holds the JVM's fingerprint (JVM_ID) too.
install_stamp() {
  echo "spindle kernelspec stamp 1"
  echo "install.sh $(file_sum "$HERE/install.sh")"
  echo "logos $(cat "$HERE/logo-32x32.png" "$HERE/logo-64x64.png" | cksum)"
  echo "display $DISPLAY_NAME"
  echo "java $JAVA"
  echo "java.real $JAVA_REAL"
  echo "jvm $JVM_ID"
  echo "jar $JAR $(file_sum "$JAR")"
  echo "opts ${SPINDLE_JAVA_OPTS:-}"
  echo "cds $CDS"
}
STAMP_NAME=".spindle-install-stamp"
STAMP="$(install_stamp)"

# up_to_date DIR: DIR holds a complete spec made from exactly these inputs.
up_to_date() {
  local dir="$1"
  [ -n "$dir" ] && [ -f "$dir/kernel.json" ] && [ -f "$dir/$STAMP_NAME" ] || return 1
  [ "$(cat "$dir/$STAMP_NAME")" = "$STAMP" ] || return 1
  if [ $CDS -eq 1 ]; then
    [ -s "$dir/spindle-cds.jsa" ] && grep -q -F "SharedArchiveFile=$dir/spindle-cds.jsa" "$dir/kernel.json" || return 1
  fi
}

if [ $FORCE -eq 0 ]; then
  PLANNED="$(planned_dest)"
  if up_to_date "$PLANNED"; then
    # Callers compare the spec's time with the jar's (install/reports.sh).
    touch "$PLANNED/kernel.json" 2>/dev/null || true
    check_jdk_sources
    note "kernelspec '$KERNEL_NAME' in $PLANNED is up to date (same java, jar and options): kept it$( [ $CDS -eq 1 ] && echo ' and its class-data archive')"
    exit 0
  fi
fi
probe_java
check_jdk_sources install

# ---- kernel.json -------------------------------------------------------------
json_str() {
  local s="$1"
  s="${s//\\/\\\\}"; s="${s//\"/\\\"}"
  s="${s//$'\t'/\\t}"; s="${s//$'\n'/\\n}"; s="${s//$'\r'/\\r}"
  printf '"%s"' "$s"
}

# write_spec DIR [CDS_ARCHIVE]
write_spec() {
  local dir="$1" jsa="${2:-}" argv=() extra=() first=1 a
  argv+=("$JAVA" -XX:+UseSerialGC -Xms16m -Xss2m -XX:MaxHeapFreeRatio=30 -XX:MinHeapFreeRatio=10 -XX:-ShrinkHeapInSteps)
  if [ -n "${SPINDLE_JAVA_OPTS:-}" ]; then
    read -r -a extra <<<"$SPINDLE_JAVA_OPTS"
    argv+=(${extra[@]+"${extra[@]}"})
  fi
  if [ -n "$jsa" ]; then
    argv+=("-XX:SharedArchiveFile=$jsa" -Xshare:auto -Xlog:disable -Xlog:all=warning:stderr)
  fi
  argv+=(-jar "$JAR" --connection-file "{connection_file}")
  {
    printf '{\n  "argv": ['
    for a in "${argv[@]}"; do
      if [ $first -eq 1 ]; then first=0; else printf ','; fi
      printf '\n    %s' "$(json_str "$a")"
    done
    printf '\n  ],\n'
    printf '  "display_name": %s,\n' "$(json_str "$DISPLAY_NAME")"
    printf '  "language": "java",\n'
    printf '  "interrupt_mode": "message",\n'
    # CurveZMQ: jupyter_client (8.10+) encrypts the sockets when the manager's
    # transport_encryption is "auto" or "required" and the spec declares it.
    printf '  "metadata": {\n    "debugger": false,\n    "supported_encryption": ["curve"],\n    "spindle": {\n      "java_version": %s,\n      "cds_archive": %s\n    }\n  }\n}\n' \
      "$(json_str "$JAVA_SPEC")" "$( [ -n "$jsa" ] && echo true || echo false )"
  } >"$dir/kernel.json"
}

STAGE="$(mktemp -d "${TMPDIR:-/tmp}/spindle-kernelspec.XXXXXX")"
trap 'rm -rf "$STAGE"' EXIT
chmod 755 "$STAGE"
write_spec "$STAGE"
cp "$HERE/logo-32x32.png" "$HERE/logo-64x64.png" "$STAGE/"

# ---- install -----------------------------------------------------------------
DEST=""
if [ "$JUPYTER" != "none" ]; then
  args=(kernelspec install --replace --name "$KERNEL_NAME")
  case "$MODE" in
    user) args+=(--user) ;;
    sys-prefix) args+=(--sys-prefix) ;;
    prefix) mkdir -p "$PREFIX"; args+=(--prefix "$(cd "$PREFIX" && pwd)") ;;
  esac
  out="$("$JUPYTER" "${args[@]}" "$STAGE" 2>&1)" || { echo "$out" >&2; die "'$JUPYTER ${args[*]}' failed"; }
  DEST="$(printf '%s\n' "$out" | sed -n "s/.*Installed kernelspec $KERNEL_NAME in //p" | tail -n1)"
  [ -n "$DEST" ] && [ -f "$DEST/kernel.json" ] || { echo "$out" >&2; die "could not tell where jupyter installed the kernelspec"; }
else
  case "$MODE" in
    user)
      if [ -n "${JUPYTER_DATA_DIR:-}" ]; then base="$JUPYTER_DATA_DIR"
      else base="${XDG_DATA_HOME:-$HOME/.local/share}/jupyter"; fi ;;
    sys-prefix)
      py="$(command -v python3 || true)"; [ -n "$py" ] || die "--sys-prefix needs jupyter or python3"
      base="$("$py" -c 'import sys; print(sys.prefix)')/share/jupyter" ;;
    prefix) base="$PREFIX/share/jupyter" ;;
  esac
  DEST="$base/kernels/$KERNEL_NAME"
  rm -rf "$DEST"
  mkdir -p "$DEST"
  cp "$STAGE"/* "$DEST/"
  DEST="$(cd "$DEST" && pwd)"
fi

# ---- AppCDS archive ----------------------------------------------------------
# A dynamic class-data-sharing archive of the kernel's classes (JShell and a
# first eval) makes the kernel start faster. It belongs to this java and jar.
if [ $CDS -eq 1 ]; then
  JSA="$DEST/spindle-cds.jsa"
  rm -f "$JSA"
  TO=()
  if command -v timeout >/dev/null 2>&1; then TO=(timeout 120); fi
  extra=()
  if [ -n "${SPINDLE_JAVA_OPTS:-}" ]; then read -r -a extra <<<"$SPINDLE_JAVA_OPTS"; fi
  if warm_out="$(${TO[@]+"${TO[@]}"} "$JAVA" "-XX:ArchiveClassesAtExit=$JSA" -XX:+UseSerialGC -Xss2m \
        ${extra[@]+"${extra[@]}"} -Xlog:disable -Xlog:all=warning:stderr \
        -jar "$JAR" --warmup </dev/null 2>&1)" && [ -s "$JSA" ]; then
    write_spec "$DEST" "$JSA"
    note "created class-data archive $JSA"
  else
    rm -f "$JSA"
    note "note: skipped the class-data archive (kernel --warmup did not succeed); the kernel works, it only starts slower"
    if [ -n "$warm_out" ]; then printf '%s\n' "$warm_out" | tail -n 5 | sed 's/^/install.sh:   /'; fi
  fi
fi

# The stamp goes last, so an interrupted or partial install is redone next time;
# a requested archive that could not be made is retried too.
if [ $CDS -eq 0 ] || [ -s "$DEST/spindle-cds.jsa" ]; then
  printf '%s\n' "$STAMP" >"$DEST/$STAMP_NAME"
fi

note "installed kernelspec '$KERNEL_NAME' ($DISPLAY_NAME) in $DEST"
note "  java: $JAVA (Java $JAVA_SPEC)"
note "  jar:  $JAR"
