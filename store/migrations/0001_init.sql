-- Feeds, articles and stories: the foundation of ingest.
-- Times are Unix seconds (UTC); days are 'YYYY-MM-DD' (UTC).

CREATE TABLE sources (
	id                   INTEGER PRIMARY KEY,
	url                  TEXT    NOT NULL UNIQUE,
	name                 TEXT    NOT NULL DEFAULT '',
	outlet               TEXT    NOT NULL DEFAULT '',
	active               INTEGER NOT NULL DEFAULT 1,
	created_at           INTEGER NOT NULL,
	etag                 TEXT    NOT NULL DEFAULT '',
	last_modified        TEXT    NOT NULL DEFAULT '',
	fetched_ok           INTEGER NOT NULL DEFAULT 0, -- at least one successful fetch: later items are not backlog
	last_fetch_at        INTEGER NOT NULL DEFAULT 0,
	last_success_at      INTEGER NOT NULL DEFAULT 0,
	last_status          TEXT    NOT NULL DEFAULT '',
	last_error           TEXT    NOT NULL DEFAULT '',
	last_error_at        INTEGER NOT NULL DEFAULT 0,
	consecutive_failures INTEGER NOT NULL DEFAULT 0,
	next_fetch_at        INTEGER NOT NULL DEFAULT 0,
	last_new             INTEGER NOT NULL DEFAULT 0,
	last_updated         INTEGER NOT NULL DEFAULT 0,
	last_duration_ms     INTEGER NOT NULL DEFAULT 0,
	articles             INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE stories (
	id              INTEGER PRIMARY KEY,
	headline        TEXT    NOT NULL,
	url             TEXT    NOT NULL DEFAULT '',
	first_published INTEGER NOT NULL,
	day             TEXT    NOT NULL,            -- UTC day of first_published: the pulse day
	outlets         INTEGER NOT NULL DEFAULT 1,  -- distinct outlets among its articles
	weight          REAL    NOT NULL DEFAULT 1,  -- sum of those outlets' weights, for ranking
	coins           TEXT    NOT NULL DEFAULT '', -- ' BTC ETH ': space-delimited so instr() matches whole tickers
	topics          TEXT    NOT NULL DEFAULT '',
	off_topic       INTEGER NOT NULL DEFAULT 0,  -- every article off-topic
	backlog         INTEGER NOT NULL DEFAULT 0,  -- every article was in a feed when it was first added
	updated_at      INTEGER NOT NULL
);
CREATE INDEX stories_first_published ON stories (first_published);
CREATE INDEX stories_day ON stories (day);

CREATE TABLE articles (
	id         INTEGER PRIMARY KEY,
	source_id  INTEGER NOT NULL REFERENCES sources (id),
	guid       TEXT    NOT NULL,
	url        TEXT    NOT NULL DEFAULT '',
	outlet     TEXT    NOT NULL DEFAULT '',
	title      TEXT    NOT NULL,
	summary    TEXT    NOT NULL DEFAULT '',
	categories TEXT    NOT NULL DEFAULT '',
	published  INTEGER NOT NULL,
	fetched_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	backlog    INTEGER NOT NULL DEFAULT 0,
	off_topic  INTEGER NOT NULL DEFAULT 0,
	coins      TEXT    NOT NULL DEFAULT '',
	topics     TEXT    NOT NULL DEFAULT '',
	story_id   INTEGER REFERENCES stories (id),
	UNIQUE (source_id, guid)
);
-- The same article reached through two feeds (or re-issued under a new GUID)
-- is one row: canonical URLs are unique when present.
CREATE UNIQUE INDEX articles_url ON articles (url) WHERE url != '';
CREATE INDEX articles_story ON articles (story_id);
CREATE INDEX articles_published ON articles (published);
CREATE INDEX articles_unclustered ON articles (id) WHERE story_id IS NULL;
