# Production image: assets built with Node, then a slim Python runtime with gunicorn.
FROM node:20-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY assets ./assets
RUN npm run build

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=omic.settings
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends curl procps && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md ./
COPY omic ./omic
COPY cases ./cases
COPY handover ./handover
COPY keywork ./keywork
COPY tiering ./tiering
# Installs the dependencies; the project itself runs from /app (the copy in site-packages would go stale).
RUN pip install --no-cache-dir . && pip uninstall -y omic-case-manager
COPY . .
COPY --from=assets /app/assets/build ./assets/build
COPY --from=assets /app/node_modules/govuk-frontend/dist/govuk ./node_modules/govuk-frontend/dist/govuk
COPY --from=assets /app/node_modules/@ministryofjustice/frontend/moj ./node_modules/@ministryofjustice/frontend/moj
RUN DJANGO_ENV=production ALLOWED_HOSTS=build SECRET_KEY="$(python -c "import secrets; print(secrets.token_urlsafe(64))")" \
    python manage.py collectstatic --noinput
RUN useradd --create-home omic && chown -R omic /app
USER omic
EXPOSE 8000
# docker-compose.yml runs two of these behind nginx (deploy/nginx.conf), with the same command and a timeout.
CMD ["gunicorn", "omic.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--worker-class", "gthread", "--threads", "4", "--timeout", "60", "--access-logfile", "-"]
