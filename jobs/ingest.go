package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pulsebot/pulsebot/jobs/ingest"
	"github.com/pulsebot/pulsebot/jobs/ingest/safehttp"
	"github.com/pulsebot/pulsebot/jobs/sentiment"
	"github.com/pulsebot/pulsebot/jobs/tag"
	"github.com/pulsebot/pulsebot/store"
)

// DefaultConcurrency is how many feeds are fetched at once. Results are
// saved as they arrive, so a slow feed holds one worker, never the others.
const DefaultConcurrency = 4

// Ingester fetches every due feed, saves new and changed items, and groups
// new articles into stories.
type Ingester struct {
	Store       *store.Store
	Client      *safehttp.Client
	Model       *sentiment.Model // nil: sentiment.Default()
	Log         *slog.Logger
	Now         func() time.Time
	Concurrency int
}

// FeedReport is what one feed did in a run.
type FeedReport struct {
	Source   store.Source
	Status   string // "ok", "not modified", "error", or "skipped"
	New      int
	Updated  int
	Err      error
	Duration time.Duration
	// Until is when a skipped feed is due again.
	Until time.Time
}

// RunOptions tune one ingest run.
type RunOptions struct {
	// Force fetches every active feed, even those backing off.
	Force bool
}

// ErrAllFailed is returned when every feed that was fetched failed.
var ErrAllFailed = errors.New("ingest: every feed failed")

// fetched is a worker's result, handed to the single writer.
type fetched struct {
	src      store.Source
	resp     *safehttp.Response
	feed     *ingest.Feed
	err      error
	at       time.Time
	duration time.Duration
}

// Run fetches the due feeds and stores what they hold. It returns one
// report per active feed, in source order.
func (in *Ingester) Run(ctx context.Context, opts RunOptions) ([]FeedReport, error) {
	log := in.logger()
	sources, err := in.Store.Sources(ctx, true)
	if err != nil {
		return nil, fmt.Errorf("ingest: %w", err)
	}
	cl := newClusterer(in.Store)
	// Articles saved by a run that stopped before clustering are picked
	// up first, so a crash never leaves news outside the stories.
	if err := cl.recover(ctx); err != nil {
		return nil, fmt.Errorf("ingest: %w", err)
	}
	// A new model version rescores what is stored, so every pulse is
	// computed by one model.
	if err := in.rescore(ctx, cl); err != nil {
		return nil, fmt.Errorf("ingest: %w", err)
	}

	now := in.now()
	reports := make([]FeedReport, len(sources))
	index := make(map[int64]int, len(sources))
	var due []store.Source
	for i, src := range sources {
		index[src.ID] = i
		reports[i] = FeedReport{Source: src}
		if !opts.Force && src.NextFetchAt.After(now) {
			reports[i].Status, reports[i].Until = "skipped", src.NextFetchAt
			continue
		}
		due = append(due, src)
	}

	results := make(chan fetched)
	var wg sync.WaitGroup
	work := make(chan store.Source)
	for range max(1, min(in.concurrency(), len(due))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for src := range work {
				results <- in.fetch(ctx, src)
			}
		}()
	}
	go func() {
		defer close(work)
		for _, src := range due {
			select {
			case work <- src:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(results)
	}()

	var attempted, failed int
	var saveErr error
	for f := range results {
		r := &reports[index[f.src.ID]]
		attempted++
		if saveErr != nil {
			continue // drain the workers; the run already failed
		}
		*r = in.save(ctx, cl, f)
		if r.Status == "error" {
			failed++
			log.Warn("feed failed", "source_id", f.src.ID, "url", f.src.URL, "err", r.Err, "failures", r.Source.ConsecutiveFailures+1)
		} else {
			log.Debug("feed fetched", "source_id", f.src.ID, "status", r.Status, "new", r.New, "updated", r.Updated, "ms", r.Duration.Milliseconds())
		}
		if r.Err != nil && errors.Is(r.Err, errStore) {
			saveErr = r.Err
		}
	}
	if saveErr != nil {
		return reports, saveErr
	}
	if err := ctx.Err(); err != nil {
		return reports, fmt.Errorf("ingest: %w", err)
	}
	if attempted > 0 && failed == attempted {
		return reports, ErrAllFailed
	}
	return reports, nil
}

// errStore marks failures of our own database, which end the run, unlike
// a feed's failure.
var errStore = errors.New("store failure")

func (in *Ingester) fetch(ctx context.Context, src store.Source) fetched {
	f := fetched{src: src, at: in.now()}
	start := time.Now()
	resp, err := in.Client.Fetch(ctx, safehttp.Request{URL: src.URL, ETag: src.ETag, LastModified: src.LastModified})
	if err == nil && !resp.NotModified {
		f.feed, err = ingest.Parse(resp.Body, src.URL, f.at)
	}
	f.resp, f.err, f.duration = resp, err, time.Since(start)
	return f
}

// save stores one fetch result and clusters its new articles.
func (in *Ingester) save(ctx context.Context, cl *clusterer, f fetched) FeedReport {
	r := FeedReport{Source: f.src, Duration: f.duration}
	o := store.FetchOutcome{At: f.at, Duration: f.duration}
	if f.err != nil {
		r.Status, r.Err = "error", f.err
		o.Status, o.Err = "error", f.err.Error()
		o.NextFetchAt = f.at.Add(retryDelay(f.err, f.src.ConsecutiveFailures+1))
		if err := in.Store.RecordFetch(ctx, f.src.ID, o); err != nil {
			r.Err = fmt.Errorf("%w: %w", errStore, err)
		}
		return r
	}
	o.ETag, o.LastModified = f.resp.ETag, f.resp.LastModified
	if f.resp.NotModified {
		r.Status, o.Status = "not modified", "not modified"
		if err := in.Store.RecordFetch(ctx, f.src.ID, o); err != nil {
			r.Status, r.Err = "error", fmt.Errorf("%w: %w", errStore, err)
		}
		return r
	}
	o.Status, r.Status = "ok", "ok"
	o.Outlet = ingest.Outlet(f.feed.SiteURL)
	if o.Outlet == "" {
		o.Outlet = ingest.Outlet(f.src.URL)
	}
	if o.Outlet == "" {
		o.Outlet = f.src.Outlet
	}
	items := make([]store.ArticleInput, 0, len(f.feed.Items))
	for _, it := range f.feed.Items {
		items = append(items, articleInput(it, o.Outlet, in.model()))
	}
	res, err := in.Store.SaveFetch(ctx, f.src.ID, items, o)
	if err != nil {
		r.Status, r.Err = "error", fmt.Errorf("%w: %w", errStore, err)
		return r
	}
	r.New, r.Updated = len(res.New), res.Updated
	if err := cl.add(ctx, res.New, res.Restory); err != nil {
		r.Status, r.Err = "error", fmt.Errorf("%w: %w", errStore, err)
	}
	return r
}

// articleInput tags a parsed item for storage. An article's outlet is the
// publisher of its link; feeds of aggregators fall back to the feed's.
func articleInput(it ingest.Item, feedOutlet string, m *sentiment.Model) store.ArticleInput {
	outlet := ingest.Outlet(it.URL)
	if outlet == "" {
		outlet = feedOutlet
	}
	t := tag.Tag(it.Title, it.Summary, it.Categories)
	return store.ArticleInput{
		GUID: it.GUID, URL: it.URL, Outlet: outlet, Title: it.Title, Summary: it.Summary,
		Categories: it.Categories, Coins: t.Coins, Topics: t.Topics, OffTopic: t.OffTopic,
		Published: it.Published, Sentiment: score(m, it.Title, it.Summary),
	}
}

// score runs the classifier and keeps its verdict in stored form.
func score(m *sentiment.Model, title, summary string) store.Sentiment {
	r := m.Score(title, summary)
	terms := make([]string, 0, len(r.Terms))
	for _, t := range r.Terms {
		terms = append(terms, strings.ReplaceAll(t.Text, "|", " ")+":"+strconv.FormatFloat(t.Weight, 'f', 3, 64))
	}
	return store.Sentiment{
		Score: r.Score, Label: string(r.Label), Confidence: r.Confidence,
		Terms: strings.Join(terms, "|"), Model: m.Version(),
	}
}

// rescore scores the articles a different model version scored (or none
// did) and refreshes their stories.
func (in *Ingester) rescore(ctx context.Context, cl *clusterer) error {
	m := in.model()
	for {
		arts, err := in.Store.StaleSentiment(ctx, m.Version(), 2000)
		if err != nil || len(arts) == 0 {
			return err
		}
		byID := make(map[int64]store.Sentiment, len(arts))
		stories := map[int64]bool{}
		for _, a := range arts {
			byID[a.ID] = score(m, a.Title, a.Summary)
			if a.StoryID != 0 {
				stories[a.StoryID] = true
			}
		}
		if err := in.Store.SetSentiments(ctx, byID); err != nil {
			return err
		}
		ids := make([]int64, 0, len(stories))
		for id := range stories {
			ids = append(ids, id)
		}
		if err := cl.add(ctx, nil, ids); err != nil {
			return err
		}
		in.logger().Info("rescored articles with a new sentiment model", "articles", len(arts), "model", m.Version())
	}
}

func (in *Ingester) model() *sentiment.Model {
	if in.Model != nil {
		return in.Model
	}
	return sentiment.Default()
}

// retryDelay is how long a failed feed rests: the server's Retry-After
// when it gave one and it is longer, else exponential backoff.
func retryDelay(err error, failures int) time.Duration {
	d := safehttp.Backoff(failures)
	var se *safehttp.StatusError
	if errors.As(err, &se) && se.RetryAfter > d {
		d = se.RetryAfter
	}
	return d
}

func (in *Ingester) now() time.Time {
	if in.Now != nil {
		return in.Now().UTC()
	}
	return time.Now().UTC()
}

func (in *Ingester) concurrency() int {
	if in.Concurrency > 0 {
		return in.Concurrency
	}
	return DefaultConcurrency
}

func (in *Ingester) logger() *slog.Logger {
	if in.Log != nil {
		return in.Log
	}
	return slog.New(slog.DiscardHandler)
}

// sortByPublished orders articles oldest first (ties by id), the order in
// which stories form.
func sortByPublished(arts []store.Article) {
	sort.Slice(arts, func(i, j int) bool {
		if !arts[i].Published.Equal(arts[j].Published) {
			return arts[i].Published.Before(arts[j].Published)
		}
		return arts[i].ID < arts[j].ID
	})
}
