# One image for web (gunicorn), worker and beat.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=config.settings

WORKDIR /app
RUN useradd --create-home --uid 10001 townhall

COPY pyproject.toml README.md ./
COPY config ./config
COPY core ./core
COPY org ./org
COPY approvals ./approvals
COPY attendance ./attendance
COPY telework ./telework
COPY rollout ./rollout
COPY notifications ./notifications
COPY api ./api
COPY templates ./templates
COPY static ./static
COPY manage.py ./
RUN pip install . \
    && mkdir -p /app/var/static /app/var/media \
    && DJANGO_DEBUG=1 python manage.py collectstatic --noinput --verbosity 0 \
    && chown -R townhall:townhall /app/var

USER townhall
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
