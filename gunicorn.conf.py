"""gunicorn's settings for the site (gunicorn reads this file from the working directory)."""

import gc


def post_worker_init(worker):
    # What a worker loads at start (Django, the apps, the URL map) lives as long as the
    # worker. Frozen, it is left out of every full collection, which otherwise walks it
    # all during whichever request allocates enough to trigger one (see gc.freeze in
    # Python's documentation, written for prefork servers like this one).
    gc.collect()
    gc.freeze()
