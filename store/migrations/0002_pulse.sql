-- Headline sentiment on articles and stories, and the daily Market Pulse.

ALTER TABLE articles ADD COLUMN sentiment REAL NOT NULL DEFAULT 0;
ALTER TABLE articles ADD COLUMN sentiment_label TEXT NOT NULL DEFAULT 'neutral';
ALTER TABLE articles ADD COLUMN sentiment_confidence REAL NOT NULL DEFAULT 0;
ALTER TABLE articles ADD COLUMN sentiment_terms TEXT NOT NULL DEFAULT ''; -- 'term:weight' pairs, '|'-separated
ALTER TABLE articles ADD COLUMN sentiment_model TEXT NOT NULL DEFAULT ''; -- model version that scored it; '' = never
CREATE INDEX articles_sentiment_model ON articles (sentiment_model);

ALTER TABLE stories ADD COLUMN sentiment REAL NOT NULL DEFAULT 0;
ALTER TABLE stories ADD COLUMN sentiment_label TEXT NOT NULL DEFAULT 'neutral';
ALTER TABLE stories ADD COLUMN sentiment_confidence REAL NOT NULL DEFAULT 0;

-- One pulse per (scope, day). Today's is live (final = 0, rewritten after
-- each ingest); once final it is written again only by backfill --force.
CREATE TABLE pulses (
	scope       TEXT    NOT NULL, -- 'global' or a coin ticker
	day         TEXT    NOT NULL, -- 'YYYY-MM-DD', UTC
	score       REAL    NOT NULL,
	band        TEXT    NOT NULL,
	confidence  TEXT    NOT NULL,
	stories     INTEGER NOT NULL,
	volume      REAL    NOT NULL,
	balance     REAL    NOT NULL,
	data        TEXT    NOT NULL, -- the whole pulse as JSON: components, deltas, lists, explanation
	final       INTEGER NOT NULL DEFAULT 0,
	computed_at INTEGER NOT NULL,
	PRIMARY KEY (scope, day)
);
