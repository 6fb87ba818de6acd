package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Source is one configured feed and its health.
type Source struct {
	ID                  int64
	URL                 string
	Name                string
	Outlet              string
	Active              bool
	ETag                string
	LastModified        string
	FetchedOK           bool // fetched successfully at least once
	LastFetchAt         time.Time
	LastSuccessAt       time.Time
	LastStatus          string
	LastError           string
	LastErrorAt         time.Time
	ConsecutiveFailures int
	NextFetchAt         time.Time
	LastNew             int
	LastUpdated         int
	LastDuration        time.Duration
	Articles            int
}

// SourceSpec is a feed as configured.
type SourceSpec struct {
	URL, Name, Outlet string
}

// Healthy reports whether the last fetch succeeded.
func (s Source) Healthy() bool { return s.FetchedOK && s.ConsecutiveFailures == 0 }

// SyncSources makes the configured feeds active (adding new ones) and marks
// every other source inactive. Inactive sources keep their articles and
// history; they are just no longer fetched.
func (s *Store) SyncSources(ctx context.Context, specs []SourceSpec) error {
	now := s.Now().Unix()
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE sources SET active = 0`); err != nil {
			return fmt.Errorf("store: sync sources: %w", err)
		}
		for _, sp := range specs {
			_, err := tx.ExecContext(ctx, `
				INSERT INTO sources (url, name, outlet, active, created_at) VALUES (?, ?, ?, 1, ?)
				ON CONFLICT (url) DO UPDATE SET name = excluded.name, active = 1,
					outlet = CASE WHEN excluded.outlet != '' THEN excluded.outlet ELSE sources.outlet END`,
				sp.URL, sp.Name, sp.Outlet, now)
			if err != nil {
				return fmt.Errorf("store: sync source %s: %w", sp.URL, err)
			}
		}
		return nil
	})
}

const sourceColumns = `id, url, name, outlet, active, etag, last_modified, fetched_ok, last_fetch_at,
	last_success_at, last_status, last_error, last_error_at, consecutive_failures, next_fetch_at,
	last_new, last_updated, last_duration_ms, articles`

func scanSource(sc interface{ Scan(...any) error }) (Source, error) {
	var (
		src                                      Source
		active, ok                               int
		fetchAt, successAt, errAt, nextAt, durMS int64
	)
	err := sc.Scan(&src.ID, &src.URL, &src.Name, &src.Outlet, &active, &src.ETag, &src.LastModified, &ok,
		&fetchAt, &successAt, &src.LastStatus, &src.LastError, &errAt, &src.ConsecutiveFailures, &nextAt,
		&src.LastNew, &src.LastUpdated, &durMS, &src.Articles)
	src.Active, src.FetchedOK = active == 1, ok == 1
	src.LastFetchAt, src.LastSuccessAt, src.LastErrorAt, src.NextFetchAt = fromUnix(fetchAt), fromUnix(successAt), fromUnix(errAt), fromUnix(nextAt)
	src.LastDuration = time.Duration(durMS) * time.Millisecond
	return src, err
}

// Sources lists sources; activeOnly leaves out those removed from the config.
func (s *Store) Sources(ctx context.Context, activeOnly bool) ([]Source, error) {
	q := `SELECT ` + sourceColumns + ` FROM sources`
	if activeOnly {
		q += ` WHERE active = 1`
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: list sources: %w", err)
	}
	defer rows.Close()
	var out []Source
	for rows.Next() {
		src, err := scanSource(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list sources: %w", err)
		}
		out = append(out, src)
	}
	return out, rows.Err()
}

// Source returns one source by id.
func (s *Store) Source(ctx context.Context, id int64) (Source, error) {
	src, err := scanSource(s.db.QueryRowContext(ctx, `SELECT `+sourceColumns+` FROM sources WHERE id = ?`, id))
	if err == sql.ErrNoRows {
		return Source{}, fmt.Errorf("store: source %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Source{}, fmt.Errorf("store: source %d: %w", id, err)
	}
	return src, nil
}

// FetchOutcome is what one fetch of a source did.
type FetchOutcome struct {
	At           time.Time
	Duration     time.Duration
	Status       string // "ok", "not modified", or "error"
	Err          string // error text when Status is "error"
	ETag         string // validators for the next conditional GET (success only)
	LastModified string
	Outlet       string    // learned from the feed (success only; "" keeps the old one)
	NextFetchAt  time.Time // zero: fetch on the next run
	New, Updated int
}

// RecordFetch stores a fetch's outcome and the source's health.
func (s *Store) RecordFetch(ctx context.Context, sourceID int64, o FetchOutcome) error {
	return s.inTx(ctx, func(tx *sql.Tx) error { return recordFetch(ctx, tx, sourceID, o) })
}

func recordFetch(ctx context.Context, tx *sql.Tx, sourceID int64, o FetchOutcome) error {
	var err error
	if o.Status == "error" {
		_, err = tx.ExecContext(ctx, `
			UPDATE sources SET last_fetch_at = ?, last_status = ?, last_error = ?, last_error_at = ?,
				consecutive_failures = consecutive_failures + 1, next_fetch_at = ?, last_new = 0,
				last_updated = 0, last_duration_ms = ?
			WHERE id = ?`,
			unix(o.At), o.Status, o.Err, unix(o.At), unix(o.NextFetchAt), o.Duration.Milliseconds(), sourceID)
	} else {
		_, err = tx.ExecContext(ctx, `
			UPDATE sources SET last_fetch_at = ?, last_success_at = ?, last_status = ?, last_error = '',
				consecutive_failures = 0, next_fetch_at = ?, fetched_ok = 1,
				etag = CASE WHEN ? = 'not modified' THEN etag ELSE ? END,
				last_modified = CASE WHEN ? = 'not modified' THEN last_modified ELSE ? END,
				outlet = CASE WHEN ? != '' THEN ? ELSE outlet END,
				last_new = ?, last_updated = ?, last_duration_ms = ?,
				articles = (SELECT COUNT(*) FROM articles WHERE source_id = ?)
			WHERE id = ?`,
			unix(o.At), unix(o.At), o.Status, unix(o.NextFetchAt),
			o.Status, o.ETag, o.Status, o.LastModified, o.Outlet, o.Outlet,
			o.New, o.Updated, o.Duration.Milliseconds(), sourceID, sourceID)
	}
	if err != nil {
		return fmt.Errorf("store: record fetch of source %d: %w", sourceID, err)
	}
	return nil
}
