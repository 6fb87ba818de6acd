package cluster

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// naiveMatch is the reference for Match: the same scoring rule applied to
// every document of the index in turn, without the inverted index, cached
// norms or candidate cut. BenchmarkMatch reports both; the tests check that
// they agree.
func naiveMatch(ix *Index, d Doc) (story int64, score float64, ok bool) {
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
	at := d.Published.Unix()
	win := int64(ix.opts.Window / time.Second)
	outlet := normOutlet(d.Outlet)
	ix.setQuery(q.feats, logN)
	defer ix.clearQuery(q.feats)
	best := -1.0
	for i := range ix.docs {
		e := &ix.docs[i]
		if e.commentary || e.at < at-win || e.at > at+win {
			continue
		}
		s := ix.dot(e.feats) / (qn * ix.norm(e.feats, logN))
		if s < ix.opts.Threshold {
			continue // adjust never raises a score
		}
		s = ix.adjust(s, &q, at, e, outlet, logN)
		if s >= ix.opts.Threshold && s > best {
			best, story = s, e.story
		}
	}
	if best < 0 {
		return 0, 0, false
	}
	return story, best, true
}

// synthCorpus makes n documents that look like a busy news window to the
// index: headline words drawn from a Zipf distribution over a 5,000-word
// vocabulary (so a few words are in thousands of headlines, as "bitcoin"
// is), frequent crypto words, amounts, ten outlets, all within 72 hours; and
// every fifth query re-words a document of the corpus.
func synthCorpus(n, queries int) (docs []Doc, qs []Doc) {
	r := rand.New(rand.NewPCG(1, 2))
	vocab := make([]string, 5000)
	syll := []string{"ka", "lo", "mi", "ter", "zen", "qu", "ab", "ri", "vo", "sel", "dan", "ex", "pra", "tor", "ul", "ni"}
	for i := range vocab {
		var sb strings.Builder
		for k := 0; k < 2+i%3; k++ {
			sb.WriteString(syll[r.IntN(len(syll))])
		}
		fmt.Fprintf(&sb, "%c", 'a'+rune(i%26))
		vocab[i] = sb.String()
	}
	common := []string{"bitcoin", "crypto", "price", "ETF", "SEC", "exchange", "token", "market", "surges", "launches", "hack", "stablecoin"}
	zipf := rand.NewZipf(r, 1.1, 4, uint64(len(vocab)-1))
	outlets := []string{"coindesk.com", "theblock.co", "decrypt.co", "cointelegraph.com", "u.today", "bitcoinmagazine.com", "a.com", "b.com", "c.com", "d.com"}
	start := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	text := func(words int) string {
		var ws []string
		for k := 0; k < words; k++ {
			switch x := r.IntN(10); {
			case x < 2:
				ws = append(ws, common[r.IntN(len(common))])
			case x == 2:
				ws = append(ws, fmt.Sprintf("$%d.%dM", 1+r.IntN(99), r.IntN(10)))
			default:
				ws = append(ws, vocab[zipf.Uint64()])
			}
		}
		return strings.Join(ws, " ")
	}
	for i := 0; i < n; i++ {
		docs = append(docs, Doc{
			ID: int64(i + 1), Title: text(8 + r.IntN(6)), Summary: text(20 + r.IntN(10)),
			Outlet:    outlets[r.IntN(len(outlets))],
			Published: start.Add(time.Duration(r.Int64N(int64(72 * time.Hour)))),
		})
	}
	for i := 0; i < queries; i++ {
		q := Doc{
			ID: int64(n + i + 1), Title: text(8 + r.IntN(6)), Summary: text(20 + r.IntN(10)),
			Outlet:    outlets[r.IntN(len(outlets))],
			Published: start.Add(36 * time.Hour),
		}
		if i%5 == 0 {
			src := docs[r.IntN(n)]
			w := strings.Fields(src.Title)
			r.Shuffle(len(w), func(a, b int) { w[a], w[b] = w[b], w[a] })
			q.Title = strings.Join(w[:len(w)*2/3], " ") + " " + text(3)
			q.Summary = src.Summary
		}
		qs = append(qs, q)
	}
	return docs, qs
}

// BenchmarkMatch measures Match against an index of 5,000 documents all in
// one window (the worst case: nothing is skipped by time), with the naive
// all-pairs loop over the same index as the reference in the same run.
func BenchmarkMatch(b *testing.B) {
	docs, qs := synthCorpus(5000, 200)
	ix := NewIndex(DefaultOptions())
	for i, d := range docs {
		ix.Add(d, int64(i+1))
	}
	matched := 0
	for _, q := range qs {
		if _, _, ok := ix.Match(q); ok {
			matched++
		}
	}
	b.Logf("index of %d documents, %d queries, %d match a story", ix.Len(), len(qs), matched)
	b.Run("inverted", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			ix.Match(qs[i%len(qs)])
		}
	})
	b.Run("naive", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			naiveMatch(ix, qs[i%len(qs)])
		}
	})
}

// BenchmarkAdd measures building the index (the ingest job loads recent
// stories into a fresh Index on every run).
func BenchmarkAdd(b *testing.B) {
	docs, _ := synthCorpus(5000, 0)
	b.ReportAllocs()
	for b.Loop() {
		ix := NewIndex(DefaultOptions())
		for i, d := range docs {
			ix.Add(d, int64(i+1))
		}
	}
}

// TestMatchAgreesWithNaive checks the inverted index against the reference
// on the synthetic corpus: same story, same score.
func TestMatchAgreesWithNaive(t *testing.T) {
	docs, qs := synthCorpus(1500, 300)
	ix := NewIndex(DefaultOptions())
	for i, d := range docs {
		// Stories of three documents, so that story choice is exercised.
		ix.Add(d, int64(i/3+1))
	}
	matched := 0
	for _, q := range qs {
		checkAgainstNaive(t, ix, q)
		if _, _, ok := ix.Match(q); ok {
			matched++
		}
	}
	if matched == 0 {
		t.Fatalf("no query matched; the corpus does not exercise matching")
	}
}

func checkAgainstNaive(t *testing.T, ix *Index, d Doc) {
	t.Helper()
	gotS, gotScore, gotOK := ix.Match(d)
	wantS, wantScore, wantOK := naiveMatch(ix, d)
	if gotOK != wantOK || gotScore != wantScore || gotS != wantS {
		t.Errorf("Match(%q) = (%d, %.6f, %v), naive reference = (%d, %.6f, %v)",
			d.Title, gotS, gotScore, gotOK, wantS, wantScore, wantOK)
	}
}
