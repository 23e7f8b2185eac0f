"""The crawler: a manual's website -> a saved-site folder with a crawl record,
which the whole-site ingest then reads (see docs/crawling.md).

Modules: `fetcher` (HTTP behind a small interface with a registry), `robots`
(robots.txt rules and pacing), `links` (which links of a page are the
manual's), `checks` (is this answer the page we asked for), `crawler` (the
walk), `refresh` (every crawled manual again).

The crawl record's format is `vectorstore.crawl_record` (the ground: the
site discovery and the app's What's changed page read it too).

Kept free of imports: the crawler imports the pipeline, which imports `ingest.sites`.
"""
