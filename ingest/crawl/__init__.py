"""The crawler: a manual's website -> a saved-site folder with a crawl record,
which the whole-site ingest then reads (see docs/crawling.md).

Modules: `record` (the crawl record, the format `ingest.sites` reads),
`fetcher` (HTTP behind a small interface with a registry), `robots`
(robots.txt rules and pacing), `links` (which links of a page are the
manual's), `checks` (is this answer the page we asked for), `crawler` (the
walk), `refresh` (every crawled manual again).

Kept free of imports: `ingest.sites` imports `ingest.crawl.record`, and the
crawler imports the pipeline, which imports `ingest.sites`.
"""
