#!/bin/sh
set -e
# prepare the spool folder, then start the worker
mkdir -p /var/spool/worker
chown -R worker /var/spool/worker
su worker -c "python /app/worker.py --queue default"
