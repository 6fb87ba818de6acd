package cluster

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"sync"
	"time"
)

// Doc is one article as the clusterer sees it.
type Doc struct {
	ID        int64  // article id (unique)
	Title     string // plain-text headline
	Summary   string // plain text, may be empty; only its lede is used
	Outlet    string // publisher id, e.g. "coindesk.com"
	Published time.Time
}

// Index holds the documents of recent stories and finds the story a new
// document belongs to. Match and Add are safe for concurrent use, though the
// ingest job calls them one after the other.
//
// Documents are held in an inverted index of their normalised headline and
// lede terms. Match walks the postings of the query's rarer terms only: the
// common ones ("bitcoin", "price") are left out as long as, together, they
// could not lift a document to Threshold on their own (Cauchy-Schwarz), and
// are counted exactly for the documents the rare terms found. The result is
// the same as comparing with every document (naiveMatch in the tests checks
// it) at a fraction of the cost (BenchmarkMatch).
//
// An Index only grows; the ingest job builds one per run from the stories
// of the last few days.
type Index struct {
	opts Options

	mu    sync.Mutex
	terms map[string]int32 // term text → term id
	df    []int32          // term id → number of documents containing it
	ldf   []float64        // term id → ln(df + 1)
	post  [][]posting      // term id → documents containing it, in Add order
	docs  []entry
	ats   []int64 // Published of each document, unix seconds, dense for the posting walk
	seen  map[int64]struct{}

	// Scratch space, reused under mu.
	byText  map[string]int // vectorize: term text → index in the term list
	rawBuf  []rawToken     // vectorize: tokens of the text at hand
	termBuf []term         // vectorize: terms of the text at hand
	acc     []float64      // Match: partial dot product per document
	hit     []int32        // Match: documents with acc != 0
	order   []int          // Match: query terms by falling document frequency
	qv      []float64      // Match: query weight times IDF² by term id
	shared  []int32        // adjust: strong terms shared with a candidate
}

type posting struct {
	doc int32
	w   float32 // the term's weight in that document, before IDF
}

type entry struct {
	id, story  int64
	outlet     string
	at         int64 // Published, unix seconds
	feats      []feat
	pos, neg   uint32
	commentary bool
	// norm is the vector length under the IDF of an index of normN
	// documents; exact while no document has been added since.
	norm  float64
	normN int
}

// NewIndex returns an empty index.
func NewIndex(opts Options) *Index {
	return &Index{
		opts:   opts.withDefaults(),
		terms:  make(map[string]int32),
		seen:   make(map[int64]struct{}),
		byText: make(map[string]int),
	}
}

// Len reports how many documents the index holds.
func (ix *Index) Len() int {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return len(ix.docs)
}

// Add records d as a member of story. Adding a document ID twice is a no-op:
// the ingest job may load a story that already holds an article it re-fetched.
func (ix *Index) Add(d Doc, story int64) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if _, dup := ix.seen[d.ID]; dup {
		return
	}
	ix.seen[d.ID] = struct{}{}
	v := ix.vectorize(d, true)
	idx := int32(len(ix.docs))
	for _, f := range v.feats {
		ix.df[f.id]++
		ix.ldf[f.id] = math.Log(float64(ix.df[f.id]) + 1)
		// Commentary counts for document frequencies but is never a
		// candidate: nothing joins a digest's story through the digest.
		if !v.commentary {
			ix.post[f.id] = append(ix.post[f.id], posting{doc: idx, w: float32(f.w())})
		}
	}
	ix.docs = append(ix.docs, entry{
		id: d.ID, story: story, outlet: normOutlet(d.Outlet), at: d.Published.Unix(),
		feats: v.feats, pos: v.pos, neg: v.neg, commentary: v.commentary,
	})
	ix.ats = append(ix.ats, d.Published.Unix())
	ix.acc = append(ix.acc, 0)
}

// Match returns the story d belongs to, with its similarity score, or
// ok=false when d starts a new story. The story is that of the most similar
// document published within Window of d whose similarity reaches Threshold
// after the rules of adjust (same outlet, polarity, market moves, shared
// terms). Commentary (IsCommentary) never matches.
func (ix *Index) Match(d Doc) (story int64, score float64, ok bool) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	q := ix.vectorize(d, false)
	if q.commentary || len(ix.docs) == 0 {
		return 0, 0, false
	}
	logN := math.Log(float64(len(ix.docs)) + idfSmoothing)
	qn := ix.norm(q.feats, logN)
	if qn == 0 {
		return 0, 0, false
	}

	// Leave out of the posting walk the most common terms while their
	// combined weight stays below pruneShare × Threshold. A document sharing
	// only those has cosine at most bound = |q_common| / |q| (Cauchy-Schwarz),
	// so it cannot match; a document the walk finds can gain at most bound
	// from them, which decides whether it is worth scoring exactly.
	order := ix.order[:0]
	for i, f := range q.feats {
		if f.id >= 0 {
			order = append(order, i)
		}
	}
	slices.SortFunc(order, func(a, b int) int {
		fa, fb := q.feats[a], q.feats[b]
		if c := cmp.Compare(ix.df[fb.id], ix.df[fa.id]); c != 0 {
			return c
		}
		return cmp.Compare(fa.id, fb.id)
	})
	limit := pruneShare * ix.opts.Threshold * qn
	var common float64 // squared weight of the terms left out
	rare := order
	for len(rare) > 0 {
		f := q.feats[rare[0]]
		x := f.w() * ix.idf(f.id, logN)
		if common+x*x >= limit*limit {
			break
		}
		common += x * x
		rare = rare[1:]
	}
	bound := math.Sqrt(common) / qn

	at := d.Published.Unix()
	win := int64(ix.opts.Window / time.Second)
	lo, hi := at-win, at+win
	hits := ix.hit[:0]
	for _, k := range rare {
		f := q.feats[k]
		idf := ix.idf(f.id, logN)
		qw := f.w() * idf
		for _, p := range ix.post[f.id] {
			if ix.acc[p.doc] == 0 {
				if t := ix.ats[p.doc]; t < lo || t > hi {
					continue
				}
				hits = append(hits, p.doc)
			}
			ix.acc[p.doc] += qw * float64(p.w) * idf
		}
	}

	ix.setQuery(q.feats, logN)
	defer ix.clearQuery(q.feats)
	outlet := normOutlet(d.Outlet)
	best, bestDoc := -1.0, int32(-1)
	for _, h := range hits {
		e := &ix.docs[h]
		if e.normN != len(ix.docs) {
			e.norm, e.normN = ix.norm(e.feats, logN), len(ix.docs)
		}
		dn := e.norm
		if ix.acc[h]/(qn*dn)+bound < ix.opts.Threshold {
			continue // even with every common term it stays below
		}
		s := ix.dot(e.feats) / (qn * dn)
		if s < ix.opts.Threshold {
			continue
		}
		s = ix.adjust(s, &q, at, e, outlet, logN)
		if s >= ix.opts.Threshold && (s > best || (s == best && h < bestDoc)) {
			best, bestDoc, story = s, h, e.story
		}
	}
	for _, h := range hits {
		ix.acc[h] = 0
	}
	ix.hit, ix.order = hits[:0], order[:0]
	if bestDoc < 0 {
		return 0, 0, false
	}
	return story, best, true
}

// normOutlet makes "www.CoinDesk.com " and "coindesk.com" the same outlet.
func normOutlet(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.TrimPrefix(s, "www.")
}
