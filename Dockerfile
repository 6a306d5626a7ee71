# Qorgau's image: the same install and start scripts as the systemd deployment and CI's loopback topology
# (deploy/bin/qorgau-install, deploy/bin/qorgau-start). CI does not build it (no image registry on its machines);
# what it proves is those scripts, run as this file runs them (README, "Deploying").
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 VENV=/srv/qorgau/.venv PYTHON=python3.11
WORKDIR /srv/qorgau
RUN useradd --system --user-group --home-dir /srv/qorgau qorgau
COPY --chown=qorgau:qorgau . .
# As root: the Debian packages (deploy/debian-packages.txt), the virtualenv without test tools, translations,
# collected static files.
RUN deploy/bin/qorgau-install && rm -rf /root/.cache && mkdir -p var/media && chown -R qorgau:qorgau var
USER qorgau
EXPOSE 8000
ENV GUNICORN_BIND=0.0.0.0:8000
ENTRYPOINT ["deploy/bin/qorgau-start"]
CMD ["web"]
