# syntax=docker/dockerfile:1
# Slipway's operator image: a static-stdlib release build of `slipway`, run as a non-root
# user on a minimal base. Build: docker build -t slipway:dev .   (see docs/operate.md)

# --- Build -------------------------------------------------------------------------------
# Debian 12 like the runtime image, so the binary needs no newer glibc or libstdc++ than
# the runtime has (a noble build may reference GLIBC_2.38+ symbols that bookworm lacks).
FROM swift:6.3-bookworm AS build
WORKDIR /src
# Resolve dependencies in their own layer: it is reused while only Sources change.
COPY Package.swift ./
RUN swift package resolve
# SwiftPM checks every target of the manifest, test targets included, so Tests comes too.
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --static-swift-stdlib --product slipway \
    && install -m 0755 "$(swift build -c release --show-bin-path)/slipway" /usr/local/bin/slipway \
    && /usr/local/bin/slipway version

# --- Run ---------------------------------------------------------------------------------
# distroless/cc-debian12: glibc, libstdc++, libgcc, zlib and CA certificates, no shell —
# what the binary still links dynamically (ldd: libc, libm, libstdc++, libgcc_s, libz).
# nonroot = user 65532.
FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /usr/local/bin/slipway /usr/local/bin/slipway
USER 65532:65532
# 8080: /metrics; 8081: /healthz and /readyz.
EXPOSE 8080 8081
ENTRYPOINT ["/usr/local/bin/slipway", "operator"]
