# syntax=docker/dockerfile:1
# Stage 1: the front-end's third-party assets, from the npm registry, pinned by the lock file.
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
COPY scripts/vendor-assets.mjs scripts/
RUN npm ci --omit=dev --no-audit --no-fund && npm run vendor

# Stage 2: the wheel, holding the packages, the compiled catalogs, the templates, the static files
# (with the vendored assets) and the migrations. Every dependency comes from the lock file, hashes
# checked (scripts/lock.sh regenerates it).
FROM python:3.11-slim-bookworm AS build
WORKDIR /build
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock
COPY pyproject.toml setup.py ./
COPY portal portal
COPY signing signing
COPY migrations migrations
COPY templates templates
COPY static static
COPY --from=assets /build/static/vendor static/vendor
RUN python -m portal.i18n_build \
    && pip wheel --no-cache-dir --no-deps --no-build-isolation --wheel-dir /wheels .

# Stage 3: the runtime image, as a non-root user: the locked dependencies and that wheel, no source.
# Production settings (secrets, Redis for the limits, trusted proxies, base URL) come from an
# environment file: deploy/production.env.example. compose.yaml runs this image three ways: the
# web service (this CMD), the worker (`portal worker`) and, once before them, the migrations
# (`portal db upgrade`): never in every replica's start.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PORTAL_DATA_DIR=/data
# Voikko (libvoikko1 + voikko-fi): the Finnish morphological analyser of the compatibility checks;
# Ghostscript and poppler-utils: the PDF/A-2b conversion at preparation and its comparison
RUN apt-get update \
    && apt-get install -y --no-install-recommends libvoikko1=4.3.* voikko-fi=2.5-* \
       ghostscript=10.0.* poppler-utils=22.12.* \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 sopu && useradd --system --uid 10001 --gid sopu --home-dir /app sopu \
    && mkdir -p /app /data && chown sopu:sopu /app /data
WORKDIR /app
COPY requirements.lock /tmp/requirements.lock
RUN pip install --no-cache-dir --require-hashes -r /tmp/requirements.lock && rm /tmp/requirements.lock
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-deps /wheels/*.whl && rm -rf /wheels
USER 10001:10001
EXPOSE 8000
VOLUME ["/data"]
CMD ["sh", "-c", "exec gunicorn --bind 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-3} --access-logfile - 'portal:create_app()'"]
