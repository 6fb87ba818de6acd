package jobs

import (
	"context"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/pulsebot/pulsebot/jobs/cluster"
	"github.com/pulsebot/pulsebot/jobs/tag"
	"github.com/pulsebot/pulsebot/store"
)

// clusterer assigns new articles to stories during one ingest run. It
// keeps the recent articles in a cluster.Index and the touched stories'
// articles in memory, loading from the store only what a batch needs.
type clusterer struct {
	st      *store.Store
	opts    cluster.Options
	index   *cluster.Index
	loaded  map[int64]bool            // article ids in the index
	covered []span                    // published ranges already loaded from the store
	stories map[int64][]store.Article // story id (or negative key) → its articles
	alias   map[int64]int64           // negative key of a story created this run → its id
	nextKey int64
}

type span struct{ from, to time.Time }

func newClusterer(st *store.Store) *clusterer {
	opts := cluster.DefaultOptions()
	return &clusterer{
		st: st, opts: opts, index: cluster.NewIndex(opts),
		loaded: map[int64]bool{}, stories: map[int64][]store.Article{}, alias: map[int64]int64{},
	}
}

// recover clusters articles a previous run saved but did not cluster.
func (c *clusterer) recover(ctx context.Context) error {
	for {
		arts, err := c.st.Unclustered(ctx, 1000)
		if err != nil || len(arts) == 0 {
			return err
		}
		if err := c.add(ctx, arts, nil); err != nil {
			return err
		}
	}
}

// add clusters new articles (and refreshes the stories listed in restory,
// whose articles changed) and saves the result in one transaction.
func (c *clusterer) add(ctx context.Context, arts []store.Article, restory []int64) error {
	if len(arts) == 0 && len(restory) == 0 {
		return nil
	}
	arts = slices.Clone(arts)
	sortByPublished(arts)
	if len(arts) > 0 {
		if err := c.load(ctx, arts[0].Published.Add(-c.opts.Window), arts[len(arts)-1].Published.Add(c.opts.Window)); err != nil {
			return err
		}
	}
	touched := map[int64]bool{}
	if len(restory) > 0 {
		// Their articles changed: reload them.
		fresh, err := c.st.StoryArticles(ctx, restory)
		if err != nil {
			return err
		}
		for id, a := range fresh {
			c.stories[id] = a
			touched[id] = true
		}
	}
	attach := map[int64][]int64{}
	for _, a := range arts {
		doc := docOf(a)
		// The index labels a story by the key it first saw for it (a
		// negative key for stories created this run). New documents join
		// under that same label: two labels for one story would make the
		// index treat its documents as two stories.
		label, _, ok := c.index.Match(doc)
		if !ok {
			c.nextKey--
			label = c.nextKey
		}
		id := label
		if real, isAlias := c.alias[label]; isAlias {
			id = real
		}
		if err := c.ensureStories(ctx, []int64{id}); err != nil {
			return err
		}
		a.StoryID = id
		c.stories[id] = append(c.stories[id], a)
		c.index.Add(doc, label)
		c.loaded[a.ID] = true
		touched[id] = true
		attach[id] = append(attach[id], a.ID)
	}

	ids := make([]int64, 0, len(touched))
	for id := range touched {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	writes := make([]store.StoryWrite, 0, len(ids))
	for _, id := range ids {
		w := aggregate(c.stories[id])
		if id > 0 {
			w.ID = id
		} else {
			w.Key = id
		}
		w.Attach = attach[id]
		writes = append(writes, w)
	}
	created, err := c.st.SaveStories(ctx, writes)
	if err != nil {
		return err
	}
	for key, id := range created {
		c.alias[key] = id
		c.stories[id] = c.stories[key]
		delete(c.stories, key)
		for i := range c.stories[id] {
			c.stories[id][i].StoryID = id
		}
	}
	return nil
}

// load adds the stored, clustered articles published in [from, to] that
// the index does not hold yet.
func (c *clusterer) load(ctx context.Context, from, to time.Time) error {
	for _, s := range c.covered {
		if !from.Before(s.from) && !to.After(s.to) {
			return nil
		}
	}
	arts, err := c.st.ClusteredBetween(ctx, from, to)
	if err != nil {
		return err
	}
	for _, a := range arts {
		if !c.loaded[a.ID] {
			c.index.Add(docOf(a), a.StoryID)
			c.loaded[a.ID] = true
		}
	}
	c.covered = append(c.covered, span{from, to})
	return nil
}

// ensureStories loads the articles of stories not yet in memory, so their
// aggregates are computed over all their articles, not just this run's.
func (c *clusterer) ensureStories(ctx context.Context, ids []int64) error {
	var missing []int64
	for _, id := range ids {
		if _, ok := c.stories[id]; !ok && id > 0 {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	got, err := c.st.StoryArticles(ctx, missing)
	if err != nil {
		return err
	}
	for _, id := range missing {
		c.stories[id] = got[id]
	}
	return nil
}

func docOf(a store.Article) cluster.Doc {
	return cluster.Doc{ID: a.ID, Title: a.Title, Summary: a.Summary, Outlet: a.Outlet, Published: a.Published}
}

// aggregate computes a story's fields from all its articles.
func aggregate(arts []store.Article) store.StoryWrite {
	w := store.StoryWrite{OffTopic: true, Backlog: true}
	docs := make([]cluster.Doc, 0, len(arts))
	outlets := map[string]bool{}
	coins := map[string]bool{}
	topics := map[string]bool{}
	for i, a := range arts {
		docs = append(docs, docOf(a))
		if i == 0 || a.Published.Before(w.FirstPublished) {
			w.FirstPublished = a.Published
		}
		outlet := a.Outlet
		if outlet == "" {
			outlet = "source:" + strconv.FormatInt(a.SourceID, 10)
		}
		if !outlets[outlet] {
			outlets[outlet] = true
			w.Weight += cluster.OutletWeight(outlet)
		}
		for _, x := range a.Coins {
			coins[x] = true
		}
		for _, x := range a.Topics {
			topics[x] = true
		}
		w.OffTopic = w.OffTopic && a.OffTopic
		w.Backlog = w.Backlog && a.Backlog
	}
	w.Outlets = len(outlets)
	w.Sentiment = storySentiment(arts)
	w.Headline = cluster.Headline(docs)
	for _, a := range arts {
		if a.Title == w.Headline {
			w.URL = a.URL
			break
		}
	}
	for x := range coins {
		w.Coins = append(w.Coins, x)
	}
	sort.Strings(w.Coins)
	if len(topics) > 1 {
		delete(topics, "other")
	}
	for _, id := range tag.TopicIDs() {
		if topics[id] {
			w.Topics = append(w.Topics, id)
		}
	}
	return w
}

// storySentiment combines the articles' verdicts: the mean score and
// confidence, and the label most articles carry (ties go to the label
// the mean score points to), so one outlet's odd headline doesn't flip
// the story.
func storySentiment(arts []store.Article) store.Sentiment {
	if len(arts) == 0 {
		return store.Sentiment{Label: "neutral"}
	}
	var sum, conf float64
	votes := map[string]int{}
	for _, a := range arts {
		sum += a.Sentiment.Score
		conf += a.Sentiment.Confidence
		votes[a.Sentiment.Label]++
	}
	n := float64(len(arts))
	mean := sum / n
	lean := "neutral"
	switch {
	case mean > 0:
		lean = "bullish"
	case mean < 0:
		lean = "bearish"
	}
	label, best := lean, votes[lean]
	for _, l := range []string{"bullish", "bearish", "neutral"} {
		if votes[l] > best {
			label, best = l, votes[l]
		}
	}
	return store.Sentiment{Score: mean, Label: label, Confidence: conf / n}
}
