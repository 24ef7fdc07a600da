# Sourced by ./serve, ./verify and .ci/run: points JAVA_HOME at a JDK 21 or newer.
# Keeps a JAVA_HOME that already is one; otherwise takes the newest under /usr/lib/jvm.
java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/java" ] || [ "$(java_major "$JAVA_HOME")" -lt 21 ] 2>/dev/null; then
    best=""
    for candidate in /usr/lib/jvm/*/ /opt/java/*/; do
        [ -x "${candidate}bin/javac" ] || continue
        major=$(java_major "${candidate%/}")
        if [ "${major:-0}" -ge 21 ] 2>/dev/null && [ "${major}" -ge "${best_major:-0}" ]; then
            best=${candidate%/}; best_major=$major
        fi
    done
    if [ -z "$best" ]; then
        echo "A JDK 21 or newer is needed: install one and set JAVA_HOME to it." >&2
        exit 1
    fi
    export JAVA_HOME=$best
fi
export PATH="$JAVA_HOME/bin:$PATH"
