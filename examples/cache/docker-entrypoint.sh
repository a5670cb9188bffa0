#!/bin/sh
set -e

# first arg is `-f` or `--some-option`: run the server with it
if [ "${1#-}" != "$1" ]; then
	set -- redis-server "$@"
fi

# started as root: fix ownership, then re-run this script as redis
if [ "$1" = 'redis-server' ] && [ "$(id -u)" = '0' ]; then
	find . \! -user redis -exec chown redis '{}' +
	exec gosu redis "$0" "$@"
fi

exec "$@"
