package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// Article is one feed item as stored.
type Article struct {
	ID         int64
	SourceID   int64
	StoryID    int64 // 0 until clustered
	GUID       string
	URL        string
	Outlet     string
	Title      string
	Summary    string
	Categories []string
	Coins      []string
	Topics     []string
	Published  time.Time
	FetchedAt  time.Time
	Backlog    bool // already in the feed when the feed was first fetched
	OffTopic   bool
	Sentiment  Sentiment
}

// Sentiment is a headline classifier's verdict as stored.
type Sentiment struct {
	Score      float64 // [-1, 1]: bearish to bullish
	Label      string  // "bullish", "bearish" or "neutral"
	Confidence float64 // [0, 1]
	Terms      string  // contributing terms, "term:weight" joined by '|' (articles only)
	Model      string  // version of the model that scored it (articles only)
}

// ArticleInput is a parsed, normalized and tagged feed item to save.
type ArticleInput struct {
	GUID, URL, Outlet, Title, Summary string
	Categories, Coins, Topics         []string
	OffTopic                          bool
	Published                         time.Time
	Sentiment                         Sentiment
}

// SaveResult says what SaveFetch changed.
type SaveResult struct {
	New     []Article // inserted rows, with ids, not yet clustered
	Updated int       // existing rows whose content changed
	// Restory lists stories whose articles changed and need their
	// aggregates (headline, tags) recomputed.
	Restory []int64
}

// SaveFetch stores one successful fetch of a source in a single
// transaction: the items (deduplicated against what is stored: same GUID in
// this source, or same canonical URL anywhere, updates that row and adds
// none) and the source's fetch outcome. Items are new-but-backlog when the
// source had never been fetched successfully, so a feed's history can't
// flood alerts.
func (s *Store) SaveFetch(ctx context.Context, sourceID int64, items []ArticleInput, o FetchOutcome) (SaveResult, error) {
	var res SaveResult
	now := s.Now().UTC()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res = SaveResult{}
		var fetchedOK int
		if err := tx.QueryRowContext(ctx, `SELECT fetched_ok FROM sources WHERE id = ?`, sourceID).Scan(&fetchedOK); err != nil {
			return fmt.Errorf("store: save fetch: source %d: %w", sourceID, err)
		}
		backlog := fetchedOK == 0
		byGUID, err := tx.PrepareContext(ctx, `SELECT `+articleColumns+` FROM articles WHERE source_id = ? AND guid = ?`)
		if err != nil {
			return err
		}
		defer byGUID.Close()
		byURL, err := tx.PrepareContext(ctx, `SELECT `+articleColumns+` FROM articles WHERE url = ?`)
		if err != nil {
			return err
		}
		defer byURL.Close()
		// Insert first: most items of a fresh feed are new, and a conflict
		// on (source, guid) or on the URL sends the item to the lookup.
		ins, err := tx.PrepareContext(ctx, `
			INSERT INTO articles (source_id, guid, url, outlet, title, summary, categories, published,
				fetched_at, updated_at, backlog, off_topic, coins, topics, sentiment, sentiment_label,
				sentiment_confidence, sentiment_terms, sentiment_model)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT DO NOTHING`)
		if err != nil {
			return err
		}
		defer ins.Close()

		restory := map[int64]bool{}
		for _, it := range items {
			a := Article{
				SourceID: sourceID, GUID: it.GUID, URL: it.URL, Outlet: it.Outlet, Title: it.Title,
				Summary: it.Summary, Categories: it.Categories, Coins: it.Coins, Topics: it.Topics,
				Published: it.Published.UTC().Truncate(time.Second), FetchedAt: now.Truncate(time.Second),
				Backlog: backlog, OffTopic: it.OffTopic, Sentiment: it.Sentiment,
			}
			se := a.Sentiment
			r, err := ins.ExecContext(ctx, sourceID, a.GUID, a.URL, a.Outlet, a.Title, a.Summary,
				joinTags(a.Categories), unix(a.Published), unix(now), unix(now), boolInt(a.Backlog),
				boolInt(a.OffTopic), joinTags(a.Coins), joinTags(a.Topics),
				se.Score, se.Label, se.Confidence, se.Terms, se.Model)
			if err != nil {
				return fmt.Errorf("store: insert article %q: %w", it.GUID, err)
			}
			if n, _ := r.RowsAffected(); n == 1 {
				a.ID, _ = r.LastInsertId()
				res.New = append(res.New, a)
				continue
			}
			old, err := scanArticle(byGUID.QueryRowContext(ctx, sourceID, it.GUID))
			if err == sql.ErrNoRows && it.URL != "" {
				old, err = scanArticle(byURL.QueryRowContext(ctx, it.URL))
			}
			if err != nil {
				return fmt.Errorf("store: look up article %q: %w", it.GUID, err)
			}
			changed, err := updateArticle(ctx, tx, old, it, now)
			if err != nil {
				return err
			}
			if changed {
				res.Updated++
				if old.StoryID != 0 {
					restory[old.StoryID] = true
				}
			}
		}
		for id := range restory {
			res.Restory = append(res.Restory, id)
		}
		o.New, o.Updated = len(res.New), res.Updated
		return recordFetch(ctx, tx, sourceID, o)
	})
	if err != nil {
		return SaveResult{}, err
	}
	return res, nil
}

// updateArticle refreshes a stored article from a new fetch of it and
// reports whether anything visible changed. The first publish time stays:
// feeds bump dates on edits, and the story's day must not move.
func updateArticle(ctx context.Context, tx *sql.Tx, old Article, it ArticleInput, now time.Time) (bool, error) {
	url := old.URL
	if it.URL != "" && it.URL != old.URL {
		var taken int
		err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM articles WHERE url = ? AND id != ?`, it.URL, old.ID).Scan(&taken)
		if err != nil {
			return false, fmt.Errorf("store: update article %d: %w", old.ID, err)
		}
		if taken == 0 {
			url = it.URL
		}
	}
	if url == old.URL && it.Title == old.Title && it.Summary == old.Summary &&
		joinTags(it.Categories) == joinTags(old.Categories) && joinTags(it.Coins) == joinTags(old.Coins) &&
		joinTags(it.Topics) == joinTags(old.Topics) && it.OffTopic == old.OffTopic &&
		it.Sentiment == old.Sentiment {
		return false, nil
	}
	se := it.Sentiment
	_, err := tx.ExecContext(ctx, `
		UPDATE articles SET url = ?, title = ?, summary = ?, categories = ?, coins = ?, topics = ?,
			off_topic = ?, updated_at = ?, sentiment = ?, sentiment_label = ?, sentiment_confidence = ?,
			sentiment_terms = ?, sentiment_model = ?
		WHERE id = ?`,
		url, it.Title, it.Summary, joinTags(it.Categories), joinTags(it.Coins), joinTags(it.Topics),
		boolInt(it.OffTopic), unix(now), se.Score, se.Label, se.Confidence, se.Terms, se.Model, old.ID)
	if err != nil {
		return false, fmt.Errorf("store: update article %d: %w", old.ID, err)
	}
	return true, nil
}

const articleColumns = `id, source_id, COALESCE(story_id, 0), guid, url, outlet, title, summary, categories,
	coins, topics, published, fetched_at, backlog, off_topic, sentiment, sentiment_label,
	sentiment_confidence, sentiment_terms, sentiment_model`

func scanArticle(sc interface{ Scan(...any) error }) (Article, error) {
	var (
		a                   Article
		cats, coins, topics string
		published, fetched  int64
		backlog, offTopic   int
	)
	err := sc.Scan(&a.ID, &a.SourceID, &a.StoryID, &a.GUID, &a.URL, &a.Outlet, &a.Title, &a.Summary,
		&cats, &coins, &topics, &published, &fetched, &backlog, &offTopic, &a.Sentiment.Score,
		&a.Sentiment.Label, &a.Sentiment.Confidence, &a.Sentiment.Terms, &a.Sentiment.Model)
	a.Categories, a.Coins, a.Topics = splitTags(cats), splitTags(coins), splitTags(topics)
	a.Published, a.FetchedAt = fromUnix(published), fromUnix(fetched)
	a.Backlog, a.OffTopic = backlog == 1, offTopic == 1
	return a, err
}

func (s *Store) queryArticles(ctx context.Context, what, q string, args ...any) ([]Article, error) {
	return collect(ctx, s, what, scanArticle, `SELECT `+articleColumns+` FROM articles `+q, args...)
}

// ClusteredBetween returns the clustered articles published in [from, to],
// which the clusterer compares new articles against.
func (s *Store) ClusteredBetween(ctx context.Context, from, to time.Time) ([]Article, error) {
	return s.queryArticles(ctx, "clustered articles", `WHERE story_id IS NOT NULL AND published BETWEEN ? AND ? ORDER BY published, id`, unix(from), unix(to))
}

// Unclustered returns articles not yet in a story (left behind when a run
// stopped between saving and clustering), oldest first.
func (s *Store) Unclustered(ctx context.Context, limit int) ([]Article, error) {
	return s.queryArticles(ctx, "unclustered articles", `WHERE story_id IS NULL ORDER BY published, id LIMIT ?`, limit)
}

// StoryArticles returns the articles of the given stories, by story.
func (s *Store) StoryArticles(ctx context.Context, storyIDs []int64) (map[int64][]Article, error) {
	out := make(map[int64][]Article, len(storyIDs))
	for len(storyIDs) > 0 {
		n := min(len(storyIDs), 500) // stay well under SQLite's variable limit
		batch := storyIDs[:n]
		storyIDs = storyIDs[n:]
		arts, err := s.queryArticles(ctx, "story articles", `WHERE story_id IN (`+placeholders(len(batch))+`) ORDER BY published, id`, int64Args(batch)...)
		if err != nil {
			return nil, err
		}
		for _, a := range arts {
			out[a.StoryID] = append(out[a.StoryID], a)
		}
	}
	return out, nil
}

// CountArticles returns the number of stored articles (all sources).
func (s *Store) CountArticles(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM articles`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count articles: %w", err)
	}
	return n, nil
}

func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?,", n-1) + "?"
}

func int64Args(ids []int64) []any {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return args
}

// StaleSentiment returns up to limit articles not scored by the given
// model version, so a new model rescores history.
func (s *Store) StaleSentiment(ctx context.Context, model string, limit int) ([]Article, error) {
	return s.queryArticles(ctx, "articles to score", `WHERE sentiment_model != ? ORDER BY id LIMIT ?`, model, limit)
}

// SetSentiments stores new classifier verdicts, by article id.
func (s *Store) SetSentiments(ctx context.Context, byID map[int64]Sentiment) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, `UPDATE articles SET sentiment = ?, sentiment_label = ?,
			sentiment_confidence = ?, sentiment_terms = ?, sentiment_model = ? WHERE id = ?`)
		if err != nil {
			return fmt.Errorf("store: set sentiments: %w", err)
		}
		defer st.Close()
		for id, se := range byID {
			if _, err := st.ExecContext(ctx, se.Score, se.Label, se.Confidence, se.Terms, se.Model, id); err != nil {
				return fmt.Errorf("store: set sentiment of article %d: %w", id, err)
			}
		}
		return nil
	})
}
