package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// PulseRecord is one stored daily pulse.
type PulseRecord struct {
	Scope      string
	Day        string // 'YYYY-MM-DD'
	Score      float64
	Band       string
	Confidence string
	Stories    int
	Volume     float64
	Balance    float64
	Data       []byte // the full pulse as JSON, owned by its producer
	Final      bool
	ComputedAt time.Time
}

// SavePulse stores a pulse. A final pulse is never overwritten unless force
// is set; saved reports whether the row was written.
func (s *Store) SavePulse(ctx context.Context, p PulseRecord, force bool) (saved bool, err error) {
	r, err := s.db.ExecContext(ctx, `
		INSERT INTO pulses (scope, day, score, band, confidence, stories, volume, balance, data, final, computed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (scope, day) DO UPDATE SET score = excluded.score, band = excluded.band,
			confidence = excluded.confidence, stories = excluded.stories, volume = excluded.volume,
			balance = excluded.balance, data = excluded.data, final = excluded.final,
			computed_at = excluded.computed_at
		WHERE pulses.final = 0 OR ?`,
		p.Scope, p.Day, p.Score, p.Band, p.Confidence, p.Stories, p.Volume, p.Balance, string(p.Data),
		boolInt(p.Final), unix(s.Now()), boolInt(force))
	if err != nil {
		return false, fmt.Errorf("store: save pulse %s %s: %w", p.Scope, p.Day, err)
	}
	n, _ := r.RowsAffected()
	return n > 0, nil
}

const pulseColumns = `scope, day, score, band, confidence, stories, volume, balance, data, final, computed_at`

func scanPulse(sc interface{ Scan(...any) error }) (PulseRecord, error) {
	var (
		p        PulseRecord
		data     string
		final    int
		computed int64
	)
	err := sc.Scan(&p.Scope, &p.Day, &p.Score, &p.Band, &p.Confidence, &p.Stories, &p.Volume, &p.Balance, &data, &final, &computed)
	p.Data, p.Final, p.ComputedAt = []byte(data), final == 1, fromUnix(computed)
	return p, err
}

// Pulse returns the stored pulse of a scope and day, or ErrNotFound.
func (s *Store) Pulse(ctx context.Context, scope, day string) (PulseRecord, error) {
	p, err := scanPulse(s.db.QueryRowContext(ctx, `SELECT `+pulseColumns+` FROM pulses WHERE scope = ? AND day = ?`, scope, day))
	if err == sql.ErrNoRows {
		return PulseRecord{}, fmt.Errorf("store: pulse %s %s: %w", scope, day, ErrNotFound)
	}
	if err != nil {
		return PulseRecord{}, fmt.Errorf("store: pulse %s %s: %w", scope, day, err)
	}
	return p, nil
}

// Pulses returns a scope's stored pulses with from <= day <= to, oldest
// first. withData=false leaves Data empty (history and charts need only
// the numbers).
func (s *Store) Pulses(ctx context.Context, scope, from, to string, withData bool) ([]PulseRecord, error) {
	cols := pulseColumns
	if !withData {
		cols = `scope, day, score, band, confidence, stories, volume, balance, '', final, computed_at`
	}
	return collect(ctx, s, "pulses "+scope, scanPulse, `SELECT `+cols+` FROM pulses WHERE scope = ? AND day BETWEEN ? AND ? ORDER BY day`, scope, from, to)
}

// LatestPulse returns the newest stored pulse of a scope, or ErrNotFound.
func (s *Store) LatestPulse(ctx context.Context, scope string) (PulseRecord, error) {
	p, err := scanPulse(s.db.QueryRowContext(ctx, `SELECT `+pulseColumns+` FROM pulses WHERE scope = ? ORDER BY day DESC LIMIT 1`, scope))
	if err == sql.ErrNoRows {
		return PulseRecord{}, fmt.Errorf("store: latest pulse %s: %w", scope, ErrNotFound)
	}
	if err != nil {
		return PulseRecord{}, fmt.Errorf("store: latest pulse %s: %w", scope, err)
	}
	return p, nil
}

// DayCoins returns the coins that on-topic stories of a day mention.
func (s *Store) DayCoins(ctx context.Context, day string) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT coins FROM stories WHERE day = ? AND off_topic = 0 AND coins != ''`, day)
	if err != nil {
		return nil, fmt.Errorf("store: coins of %s: %w", day, err)
	}
	defer rows.Close()
	seen := map[string]bool{}
	var out []string
	for rows.Next() {
		var coins string
		if err := rows.Scan(&coins); err != nil {
			return nil, fmt.Errorf("store: coins of %s: %w", day, err)
		}
		for _, c := range splitTags(coins) {
			if !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
	}
	return out, rows.Err()
}

// StoryDays returns the distinct days with on-topic stories in [from, to].
func (s *Store) StoryDays(ctx context.Context, from, to string) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT day FROM stories WHERE off_topic = 0 AND day BETWEEN ? AND ? ORDER BY day`, from, to)
	if err != nil {
		return nil, fmt.Errorf("store: story days: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, fmt.Errorf("store: story days: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
