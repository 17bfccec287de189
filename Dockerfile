# syntax=docker/dockerfile:1
# Stage 1: the front-end's third-party assets, from the npm registry, pinned by the lock file.
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
COPY scripts/vendor-assets.mjs scripts/
RUN npm ci --omit=dev --no-audit --no-fund && npm run vendor

# Stage 2: the Python wheels.
FROM python:3.11-slim-bookworm AS build
WORKDIR /build
COPY pyproject.toml ./
COPY portal portal
COPY signing signing
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

# Stage 3: the runtime image, as a non-root user. The app runs from /app (PYTHONPATH), where the
# templates, static files, migrations and compiled catalogs sit beside the packages.
# Production settings (secrets, Redis for the limits, trusted proxies, base URL) come from an
# environment file: deploy/production.env.example, `docker run --env-file deploy/production.env`.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app \
    PORTAL_DATA_DIR=/data
# Voikko (libvoikko1 + voikko-fi): the Finnish morphological analyser of the compatibility checks
RUN apt-get update \
    && apt-get install -y --no-install-recommends libvoikko1=4.3.* voikko-fi=2.5-* \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 sopu && useradd --system --uid 10001 --gid sopu --home-dir /app sopu \
    && mkdir -p /data && chown sopu:sopu /data
WORKDIR /app
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/* && rm -rf /wheels
COPY portal portal
COPY signing signing
COPY migrations migrations
COPY templates templates
COPY static static
COPY --from=assets /build/static/vendor static/vendor
RUN python -m portal.i18n_build
USER 10001:10001
EXPOSE 8000
VOLUME ["/data"]
CMD ["sh", "-c", "portal db upgrade && exec gunicorn --bind 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-3} --access-logfile - 'portal:create_app()'"]
