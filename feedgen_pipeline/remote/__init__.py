"""Sources fetched over HTTP: lists of URLs, sitemaps and upstream feeds.

``collect.py`` turns them into the records a folder scan gives; ``client.py`` fetches politely
(timeouts, retries, robots.txt, per-host limits); ``guard.py`` refuses addresses of the host's
own network; ``cache.py`` keeps the last good response of every URL in the state folder;
``discover.py`` reads sitemaps and feeds; ``page.py`` readies a fetched page for extraction.
Nothing here is imported by a run whose sources are all folders.
"""
