# syntax=docker/dockerfile:1
# Latchkey: build with the official Swift image, run on a slim Debian (docs/deployment.md).
#
#   docker build -t latchkey .
#   docker run -v latchkey-data:/data -v ./deploy/latchkey.json:/etc/latchkey/latchkey.json:ro \
#     -p 127.0.0.1:8080:8080 latchkey
#
# Both stages are Debian 12 (bookworm), so the system libraries the binary links against
# (OpenSSL 3, SQLite 3, libcurl for FoundationNetworking) are the same versions at build and run.

FROM swift:6.3-bookworm AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libssl-dev libsqlite3-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Resolve dependencies in their own layer so source edits do not refetch them.
# Package.resolved is optional (not committed); the glob keeps COPY from failing without it.
COPY Package.swift Package.resolve[d] ./
RUN swift package resolve
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --product latchkey --static-swift-stdlib \
 && install -D -m 0755 "$(swift build -c release --show-bin-path)/latchkey" /out/latchkey

FROM debian:bookworm-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libssl3 libsqlite3-0 libcurl4 ca-certificates curl tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 latchkey \
 && useradd --system --uid 10001 --gid latchkey --home-dir /data --shell /usr/sbin/nologin latchkey \
 && install -d -o latchkey -g latchkey -m 0700 /data \
 && install -d -m 0755 /etc/latchkey
COPY --from=build /out/latchkey /usr/local/bin/latchkey
COPY deploy/latchkey.json /etc/latchkey/latchkey.json
USER latchkey:latchkey
WORKDIR /data
VOLUME ["/data"]
ENV LATCHKEY_CONFIG=/etc/latchkey/latchkey.json
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD curl --fail --silent --show-error --max-time 4 http://127.0.0.1:8080/healthz >/dev/null || exit 1
ENTRYPOINT ["/usr/local/bin/latchkey"]
CMD ["serve", "--config", "/etc/latchkey/latchkey.json"]
