"""gunicorn's settings for the site (gunicorn reads this file from the working directory)."""

import gc


def post_worker_init(worker):
    # What a worker loads at start (Django, the apps, the URL map) lives as long as the
    # worker. Frozen, it is left out of every full collection, which otherwise walks it
    # all during whichever request allocates enough to trigger one (see gc.freeze in
    # Python's documentation, written for prefork servers like this one).
    gc.collect()
    gc.freeze()
    # A page allocates tens of thousands of objects, nearly all freed by reference count
    # when it is sent; with the default threshold (700) the collector ran dozens of times
    # a page to find almost nothing, about 5 % of a worker's CPU (measured, bench/). Every
    # 100,000 allocations it still collects the few cycles a request leaves, at some 25 MB
    # more per worker.
    gc.set_threshold(100_000, 50, 100)
