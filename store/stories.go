package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Story is a cluster of articles about one event.
type Story struct {
	ID             int64
	Headline       string
	URL            string
	FirstPublished time.Time
	Day            string
	Outlets        int
	Weight         float64
	Coins          []string
	Topics         []string
	OffTopic       bool
	Backlog        bool
	Sentiment      Sentiment // of its articles together (no Terms or Model)
	UpdatedAt      time.Time // created, or last joined by an article
	Rank           float64   // set by TopStories
}

// StoryWrite creates or updates a story and attaches articles to it. The
// caller (the clustering job) computes the aggregates from all the story's
// articles.
type StoryWrite struct {
	ID             int64 // 0 creates a story
	Key            int64 // caller's handle for a new story; SaveStories maps it to the id
	Headline       string
	URL            string
	FirstPublished time.Time
	Outlets        int
	Weight         float64
	Coins, Topics  []string
	OffTopic       bool
	Backlog        bool
	Sentiment      Sentiment
	Attach         []int64 // article ids that join the story
}

// SaveStories applies a clustering decision in one transaction and returns
// the ids of created stories by their Key.
func (s *Store) SaveStories(ctx context.Context, writes []StoryWrite) (map[int64]int64, error) {
	created := map[int64]int64{}
	now := unix(s.Now())
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		clear(created)
		// Statements are prepared once per call: a clustering batch
		// writes many stories, and preparing per row doubles its cost.
		attach, err := tx.PrepareContext(ctx, `UPDATE articles SET story_id = ? WHERE id = ?`)
		if err != nil {
			return fmt.Errorf("store: save stories: %w", err)
		}
		defer attach.Close()
		insert, err := tx.PrepareContext(ctx, `
			INSERT INTO stories (headline, url, first_published, day, outlets, weight, coins, topics,
				off_topic, backlog, sentiment, sentiment_label, sentiment_confidence, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return fmt.Errorf("store: save stories: %w", err)
		}
		defer insert.Close()
		update, err := tx.PrepareContext(ctx, `
			UPDATE stories SET headline = ?, url = ?, first_published = ?, day = ?, outlets = ?,
				weight = ?, coins = ?, topics = ?, off_topic = ?, backlog = ?, sentiment = ?,
				sentiment_label = ?, sentiment_confidence = ?, updated_at = ?
			WHERE id = ?`)
		if err != nil {
			return fmt.Errorf("store: save stories: %w", err)
		}
		defer update.Close()
		for _, w := range writes {
			args := []any{w.Headline, w.URL, unix(w.FirstPublished), Day(w.FirstPublished), w.Outlets, w.Weight,
				joinTags(w.Coins), joinTags(w.Topics), boolInt(w.OffTopic), boolInt(w.Backlog),
				w.Sentiment.Score, w.Sentiment.Label, w.Sentiment.Confidence, now}
			id := w.ID
			if id == 0 {
				r, err := insert.ExecContext(ctx, args...)
				if err != nil {
					return fmt.Errorf("store: create story: %w", err)
				}
				id, _ = r.LastInsertId()
				created[w.Key] = id
			} else if _, err := update.ExecContext(ctx, append(args, id)...); err != nil {
				return fmt.Errorf("store: update story %d: %w", id, err)
			}
			for _, a := range w.Attach {
				if _, err := attach.ExecContext(ctx, id, a); err != nil {
					return fmt.Errorf("store: attach article %d to story %d: %w", a, id, err)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return created, nil
}

// StoryFilter selects stories.
type StoryFilter struct {
	Since, Until    time.Time // on first publish time; zero = unbounded
	Day             string    // 'YYYY-MM-DD': stories first published that UTC day
	Coin            string    // ticker, upper case
	Topic           string    // topic id
	IncludeOffTopic bool
	// UpdatedSince keeps stories created or changed (a new outlet, a new
	// article) at or after it; zero = unbounded.
	UpdatedSince   time.Time
	ExcludeBacklog bool // leave out stories made only of backlog items
	Limit          int  // 0 = no limit
}

const storyColumns = `id, headline, url, first_published, day, outlets, weight, coins, topics, off_topic, backlog,
	sentiment, sentiment_label, sentiment_confidence, updated_at`

func scanStory(sc interface{ Scan(...any) error }) (Story, error) {
	var (
		st                Story
		first             int64
		coins, topics     string
		offTopic, backlog int
		updated           int64
	)
	err := sc.Scan(&st.ID, &st.Headline, &st.URL, &first, &st.Day, &st.Outlets, &st.Weight, &coins, &topics,
		&offTopic, &backlog, &st.Sentiment.Score, &st.Sentiment.Label, &st.Sentiment.Confidence, &updated)
	st.FirstPublished, st.UpdatedAt = fromUnix(first), fromUnix(updated)
	st.Coins, st.Topics = splitTags(coins), splitTags(topics)
	st.OffTopic, st.Backlog = offTopic == 1, backlog == 1
	return st, err
}

func (f StoryFilter) where() (string, []any) {
	var (
		conds []string
		args  []any
	)
	if !f.Since.IsZero() {
		conds, args = append(conds, "first_published >= ?"), append(args, unix(f.Since))
	}
	if f.Day != "" {
		conds, args = append(conds, "day = ?"), append(args, f.Day)
	}
	if !f.Until.IsZero() {
		conds, args = append(conds, "first_published < ?"), append(args, unix(f.Until))
	}
	if f.Coin != "" {
		conds, args = append(conds, "instr(coins, ?) > 0"), append(args, " "+strings.ToUpper(f.Coin)+" ")
	}
	if f.Topic != "" {
		conds, args = append(conds, "instr(topics, ?) > 0"), append(args, " "+f.Topic+" ")
	}
	if !f.IncludeOffTopic {
		conds = append(conds, "off_topic = 0")
	}
	if !f.UpdatedSince.IsZero() {
		conds, args = append(conds, "updated_at >= ?"), append(args, unix(f.UpdatedSince))
	}
	if f.ExcludeBacklog {
		conds = append(conds, "backlog = 0")
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// Stories returns the stories matching f, newest first.
func (s *Store) Stories(ctx context.Context, f StoryFilter) ([]Story, error) {
	where, args := f.where()
	q := `SELECT ` + storyColumns + ` FROM stories` + where + ` ORDER BY first_published DESC, id DESC`
	if f.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	return collect(ctx, s, "list stories", scanStory, q, args...)
}

// RankFunc scores a story for "headline stories" ordering: its outlet
// weight decayed by its age at the reference time.
type RankFunc func(weight float64, firstPublished, ref time.Time) float64

// TopStories returns the f.Limit highest-ranked stories matching f. Ranks
// are computed relative to the newest matching story (never later than
// now), so an old period ranks its own stories sensibly.
func (s *Store) TopStories(ctx context.Context, f StoryFilter, rank RankFunc) ([]Story, error) {
	limit := f.Limit
	f.Limit = 0
	all, err := s.Stories(ctx, f)
	if err != nil || len(all) == 0 {
		return nil, err
	}
	ref := all[0].FirstPublished // newest first
	if now := s.Now(); ref.After(now) {
		ref = now
	}
	for i := range all {
		all[i].Rank = rank(all[i].Weight, all[i].FirstPublished, ref)
	}
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].Rank != all[j].Rank {
			return all[i].Rank > all[j].Rank
		}
		return all[i].ID > all[j].ID
	})
	if limit > 0 && len(all) > limit {
		all = all[:limit]
	}
	return all, nil
}

// Story returns one story by id.
func (s *Store) Story(ctx context.Context, id int64) (Story, error) {
	st, err := scanStory(s.db.QueryRowContext(ctx, `SELECT `+storyColumns+` FROM stories WHERE id = ?`, id))
	if err == sql.ErrNoRows {
		return Story{}, fmt.Errorf("store: story %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Story{}, fmt.Errorf("store: story %d: %w", id, err)
	}
	return st, nil
}

// StoryBounds returns the first publish times of the oldest and newest
// on-topic stories (zero times when there are none).
func (s *Store) StoryBounds(ctx context.Context) (oldest, newest time.Time, err error) {
	var lo, hi sql.NullInt64
	// Two subqueries, not MIN and MAX in one: SQLite answers a lone MIN or
	// MAX from the first_published index, but scans the table for both.
	err = s.db.QueryRowContext(ctx, `SELECT
		(SELECT MIN(first_published) FROM stories WHERE off_topic = 0),
		(SELECT MAX(first_published) FROM stories WHERE off_topic = 0)`).Scan(&lo, &hi)
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("store: story bounds: %w", err)
	}
	return fromUnix(lo.Int64), fromUnix(hi.Int64), nil
}
