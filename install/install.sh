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
kernel jar. Re-running replaces the spec installed before at the same place.

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
  -h, --help        show this help

Environment:
  SPINDLE_JAVA_OPTS extra JVM flags for the kernel, split on whitespace, added to
                    the kernelspec's argv (e.g. SPINDLE_JAVA_OPTS="-Xmx2g")
  SPINDLE_JUPYTER   the 'jupyter' command to install with; 'none' computes the
                    path without it. Default: 'jupyter' on PATH, else .venv/bin/jupyter
EOF
}

die() { echo "install.sh: error: $*" >&2; exit 1; }
note() { echo "install.sh: $*"; }

JAVA=""
JAR=""
MODE="user"
PREFIX=""
CDS=1
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

JAVA_SPEC="$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n1)"
[ -n "$JAVA_SPEC" ] || die "could not run $JAVA -version"
JAVA_MAJOR="${JAVA_SPEC#1.}"; JAVA_MAJOR="${JAVA_MAJOR%%.*}"
case "$JAVA_MAJOR" in (*[!0-9]*|'') die "unexpected Java version '$JAVA_SPEC' from $JAVA" ;; esac
[ "$JAVA_MAJOR" -ge 17 ] || die "$JAVA is Java $JAVA_SPEC; Spindle needs Java 17 or newer (use --java PATH)"

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
    printf '  "metadata": {\n    "debugger": false,\n    "spindle": {\n      "java_version": %s,\n      "cds_archive": %s\n    }\n  }\n}\n' \
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

note "installed kernelspec '$KERNEL_NAME' ($DISPLAY_NAME) in $DEST"
note "  java: $JAVA (Java $JAVA_SPEC)"
note "  jar:  $JAR"
