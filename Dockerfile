# One image for web (gunicorn), worker and beat, built from the wheel alone: the first stage builds the wheel from
# the source tree, the second installs the exact versions of requirements.lock and then the wheel (templates,
# static files and message catalogues are inside it). No source tree in the image; manage.py is `django-admin`.
FROM python:3.12-slim AS build
WORKDIR /src
COPY . .
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=config.settings \
    DJANGO_VAR_DIR=/app/var

WORKDIR /app
RUN useradd --create-home --uid 10001 townhall

COPY requirements.lock /tmp/requirements.lock
RUN pip install -r /tmp/requirements.lock
COPY --from=build /wheels /tmp/wheels
RUN pip install --no-deps /tmp/wheels/*.whl \
    && rm -rf /tmp/wheels /tmp/requirements.lock \
    && mkdir -p /app/var/static /app/var/media \
    && DJANGO_DEBUG=1 django-admin collectstatic --noinput --verbosity 0 \
    && chown -R townhall:townhall /app/var

USER townhall
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
