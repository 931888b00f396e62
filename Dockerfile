# ordo's container image: a build stage with the Rust toolchain, a small Debian runtime.
#
#   docker build --build-arg ORDO_GIT_COMMIT=$(git rev-parse --short HEAD) -t ordo .
#   docker run -p 8080:8080 -v ordo-data:/var/lib/ordo ordo
#
# The image listens on 0.0.0.0:8080 and keeps its SQLite file in the volume /var/lib/ordo;
# for PostgreSQL set ORDO_DATABASE_URL. Every setting is an ORDO_* variable
# (docs/settings.md).

FROM rust:1-slim-bookworm AS build
# make for jemalloc's build; the C compiler (SQLite, zstd) comes with the image.
RUN apt-get update \
    && apt-get install -y --no-install-recommends make \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# The build has no .git: build.rs takes the commit from here ("unknown" when not given).
ARG ORDO_GIT_COMMIT=unknown
ENV ORDO_GIT_COMMIT=${ORDO_GIT_COMMIT}
# .cargo/config.toml (jemalloc's options) comes with the sources and applies to this build.
COPY . .
RUN cargo build --release --locked -p ordo \
    && cp target/release/ordo /usr/local/bin/ordo \
    && rm -rf target

FROM debian:bookworm-slim AS runtime
# curl for the HEALTHCHECK; ca-certificates for PostgreSQL over TLS (sslmode=require).
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /var/lib/ordo --create-home ordo
COPY --from=build /usr/local/bin/ordo /usr/local/bin/ordo
USER ordo
WORKDIR /var/lib/ordo
VOLUME ["/var/lib/ordo"]
ENV ORDO_LISTEN=0.0.0.0:8080 \
    ORDO_DATABASE_URL=sqlite:///var/lib/ordo/ordo.db \
    ORDO_LOG_FORMAT=json
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8080/health || exit 1
# SIGTERM lets requests in progress finish (shutdown_timeout, 30 s by default).
STOPSIGNAL SIGTERM
ENTRYPOINT ["ordo"]
CMD ["serve"]
