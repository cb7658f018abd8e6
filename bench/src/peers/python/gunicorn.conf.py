"""gunicorn settings of the Python peer, read from the environment the benchmark sets (defaults in brackets).

eventsourcing and psycopg are synchronous, so requests are served by threads: the gthread worker, several worker
processes (PEER_WORKERS [2]) so that both cores run Python despite the GIL, and PEER_THREADS [8] threads each. Each
worker's eventsourcing application has its own pool, sized by POSTGRES_POOL_SIZE/POSTGRES_MAX_OVERFLOW to the
threads, so that no thread waits for a connection.
"""

import os

bind = f"127.0.0.1:{os.environ['PORT']}"
worker_class = "gthread"
workers = int(os.environ.get("PEER_WORKERS", "2"))
threads = int(os.environ.get("PEER_THREADS", "8"))
# The load tool keeps its connections open for the whole run; gthread parks idle keep-alive connections in its
# poller, so hundreds of them cost no thread. The default (2 s) would close and reopen them between requests.
keepalive = 75
worker_connections = 1000
# Access logs would cost each request a write: off, as the Emmett peer logs nothing per request either.
accesslog = None
loglevel = "warning"
