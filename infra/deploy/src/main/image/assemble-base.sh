#!/usr/bin/env bash
# Assembles the image's base filesystem offline, from the build machine's own JDK: a jlink'ed
# Java runtime under /opt/java, the few shared libraries it and the JNI libraries in the
# dependencies (RocksDB, zstd, snappy) load, and passwd/group entries for the non-root user.
# Jib then builds the image FROM scratch with this directory as an extra layer, so no registry
# and no Docker daemon is needed. Linux x86_64/aarch64 with glibc only (what the runtime links).
#
# usage: assemble-base.sh OUTPUT_DIR
set -euo pipefail
out="$1"
java_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"

# What `jdeps --print-module-deps` finds in the CLI jar, plus TLS (EC), DNS and zip filesystem
# support, which are loaded reflectively and so escape jdeps.
modules=java.base,java.compiler,java.desktop,java.naming,java.rmi,java.scripting
modules+=,java.security.jgss,java.security.sasl,java.sql,jdk.jfr,jdk.management
modules+=,jdk.unsupported,jdk.crypto.ec,jdk.naming.dns,jdk.zipfs

rm -rf "$out"
mkdir -p "$out/opt" "$out/etc" "$out/tmp" "$out/var/lib/streammeter"
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files \
  --no-man-pages --compress=2 --output "$out/opt/java"

# Desktop libraries (AWT, fonts, sound, images) come with java.desktop but are never loaded by a
# server; dropping them avoids shipping X11 and friends.
(cd "$out/opt/java/lib" && rm -f libawt_xawt.so libfontmanager.so libjavajpeg.so libjawt.so \
  libjsound.so liblcms.so libmlib_image.so libsplashscreen.so libawt.so libawt_headless.so)

# The glibc closure of the runtime's native code, at the paths the dynamic linker looks in.
# libstdc++ and libgcc_s are needed by the JVM and by the JNI libraries extracted at run time.
copy_lib() {
  local lib="$1"
  mkdir -p "$out$(dirname "$lib")"
  cp -L "$lib" "$out$lib"
}
libs=$(find "$out/opt/java" -name '*.so' -o -path '*/bin/*' -type f |
  xargs -r ldd 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\/.*ld-linux/ {print $1}' |
  sort -u)
for lib in $libs; do copy_lib "$lib"; done
for name in libstdc++.so.6 libgcc_s.so.1 libresolv.so.2 libnss_dns.so.2 libnss_files.so.2; do
  found=$(ldconfig -p | awk -v n="$name" '$1 == n && $NF ~ /^\// && !f {print $NF; f = 1}')
  if [ -n "$found" ]; then copy_lib "$found"; fi
done

# The non-root user the image runs as (uid/gid 10001, as in the Jib <user>), no login shell.
cat > "$out/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/sbin/nologin
streammeter:x:10001:10001:streammeter:/var/lib/streammeter:/sbin/nologin
EOF
cat > "$out/etc/group" <<'EOF'
root:x:0:
streammeter:x:10001:
EOF
echo "hosts: files dns" > "$out/etc/nsswitch.conf"
