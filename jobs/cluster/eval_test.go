package cluster

import (
	"bufio"
	"flag"
	"fmt"
	"html"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/publicsuffix"

	"github.com/pulsebot/pulsebot/internal/shareddata"
)

var explain = flag.Bool("explain", false, "log the false-positive and false-negative pairs of the evaluation")

// The goals of the task; the measured figures are logged on every run.
const (
	wantPrecision = 0.95
	wantRecall    = 0.80
)

// evalItem is one feed item of the shared fixtures.
type evalItem struct {
	key  string // file + "\t" + guid
	file string
	doc  Doc
}

// TestEvaluateSharedFeeds feeds every item of the shared feeds through an
// Index in publish-time order, as the ingest job would, and scores the
// predicted stories against the hand labels in testdata/same_event.tsv
// (pairwise precision and recall over all item pairs; labelled groups are
// the transitive closure of the labelled pairs).
func TestEvaluateSharedFeeds(t *testing.T) {
	items := loadSharedFeeds(t)
	groups := loadLabels(t, filepath.Join("testdata", "same_event.tsv"), items)

	ix := NewIndex(DefaultOptions())
	story := clusterAll(ix, items)

	var labelled, predicted, tp int
	var fps, fns []string
	for i := range items {
		for j := i + 1; j < len(items); j++ {
			gi, gj := groups[items[i].key], groups[items[j].key]
			l := gi != 0 && gi == gj
			p := story[i] == story[j]
			switch {
			case l && p:
				tp++
			case p:
				fps = append(fps, pairString(ix, items[i], items[j]))
			case l:
				fns = append(fns, pairString(ix, items[i], items[j]))
			}
			if l {
				labelled++
			}
			if p {
				predicted++
			}
		}
	}
	precision, recall := ratio(tp, predicted), ratio(tp, labelled)
	t.Logf("items %d, stories %d; labelled pairs %d, predicted pairs %d, true positives %d",
		len(items), countDistinct(story), labelled, predicted, tp)
	t.Logf("precision %.3f (goal %.2f), recall %.3f (goal %.2f)", precision, wantPrecision, recall, wantRecall)
	if *explain {
		for _, s := range fps {
			t.Logf("false positive: %s", s)
		}
		for _, s := range fns {
			t.Logf("false negative: %s", s)
		}
	}
	if precision < wantPrecision {
		t.Errorf("precision = %.3f, want >= %.2f (%d false-positive pairs; -explain lists them)", precision, wantPrecision, len(fps))
	}
	if recall < wantRecall {
		t.Errorf("recall = %.3f, want >= %.2f (%d false-negative pairs; -explain lists them)", recall, wantRecall, len(fns))
	}
}

// TestMatchAgreesWithNaiveOnSharedFeeds replays the evaluation and checks
// every Match against the all-pairs reference.
func TestMatchAgreesWithNaiveOnSharedFeeds(t *testing.T) {
	items := loadSharedFeeds(t)
	ix := NewIndex(DefaultOptions())
	next := int64(1)
	for _, it := range items {
		checkAgainstNaive(t, ix, it.doc)
		s, _, ok := ix.Match(it.doc)
		if !ok {
			s = next
			next++
		}
		ix.Add(it.doc, s)
	}
}

// clusterAll runs the ingest loop and returns each item's story id.
func clusterAll(ix *Index, items []evalItem) []int64 {
	story := make([]int64, len(items))
	next := int64(1)
	for i, it := range items {
		s, _, ok := ix.Match(it.doc)
		if !ok {
			s = next
			next++
		}
		ix.Add(it.doc, s)
		story[i] = s
	}
	return story
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

func countDistinct(xs []int64) int {
	m := make(map[int64]bool)
	for _, x := range xs {
		m[x] = true
	}
	return len(m)
}

func pairString(ix *Index, a, b evalItem) string {
	return fmt.Sprintf("score %.3f\n\t%s %s %q\n\t%s %s %q", ix.pairScore(a.doc, b.doc), a.doc.Published.Format("01-02 15:04"), a.file, a.doc.Title,
		b.doc.Published.Format("01-02 15:04"), b.file, b.doc.Title)
}

// loadSharedFeeds parses every fixture feed, keeps the first item of each
// (file, guid) as the store would, and sorts items by publish time.
func loadSharedFeeds(tb testing.TB) []evalItem {
	tb.Helper()
	dir := shareddata.Path(tb, "feeds")
	files, err := filepath.Glob(filepath.Join(dir, "*.xml"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no feeds in %s: %v", dir, err)
	}
	sort.Strings(files)
	var items []evalItem
	seen := make(map[string]bool)
	for _, path := range files {
		f, err := os.Open(path)
		if err != nil {
			tb.Fatal(err)
		}
		feed, err := gofeed.NewParser().Parse(f)
		f.Close()
		if err != nil {
			tb.Fatalf("parse %s: %v", path, err)
		}
		name := filepath.Base(path)
		for _, it := range feed.Items {
			key := name + "\t" + it.GUID
			if seen[key] {
				continue
			}
			seen[key] = true
			var at time.Time
			switch {
			case it.PublishedParsed != nil:
				at = *it.PublishedParsed
			case it.UpdatedParsed != nil:
				at = *it.UpdatedParsed
			}
			items = append(items, evalItem{key: key, file: name, doc: Doc{
				ID:        int64(len(items) + 1),
				Title:     plainText(it.Title),
				Summary:   plainText(it.Description),
				Outlet:    outletOf(it.Link),
				Published: at.UTC(),
			}})
		}
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].doc.Published.Before(items[j].doc.Published) })
	return items
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

// plainText is the simple strip the ingest job's real cleaner stands in
// for here: drop tags, decode entities, collapse spaces.
func plainText(s string) string {
	s = html.UnescapeString(tagRE.ReplaceAllString(s, " "))
	return strings.Join(strings.Fields(s), " ")
}

func outletOf(link string) string {
	u, err := url.Parse(strings.TrimSpace(link))
	if err != nil || u.Hostname() == "" {
		return ""
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(u.Hostname())
	if err != nil {
		return u.Hostname()
	}
	return d
}

// loadLabels reads the labelled pairs and returns each labelled item's group
// number (transitive closure); unlabelled items are absent (group 0).
func loadLabels(tb testing.TB, path string, items []evalItem) map[string]int {
	tb.Helper()
	known := make(map[string]bool, len(items))
	for _, it := range items {
		known[it.key] = true
	}
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	parent := make(map[string]string)
	var find func(string) string
	find = func(k string) string {
		if p, ok := parent[k]; ok && p != k {
			r := find(p)
			parent[k] = r
			return r
		}
		parent[k] = k
		return k
	}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) < 4 {
			tb.Fatalf("%s:%d: want fileA, guidA, fileB, guidB columns, got %d", path, n, len(cols))
		}
		a, b := cols[0]+"\t"+cols[1], cols[2]+"\t"+cols[3]
		for _, k := range []string{a, b} {
			if !known[k] {
				tb.Fatalf("%s:%d: no item %q in the shared feeds", path, n, k)
			}
		}
		parent[find(a)] = find(b)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	groups := make(map[string]int)
	ids := make(map[string]int)
	for k := range parent {
		r := find(k)
		if ids[r] == 0 {
			ids[r] = len(ids) + 1
		}
		groups[k] = ids[r]
	}
	return groups
}

// pairScore is the score Match would give b against a alone, at the
// index's current IDF (for -explain).
func (ix *Index) pairScore(a, b Doc) float64 {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	va, vb := ix.vectorize(a, false), ix.vectorize(b, false)
	if va.commentary || vb.commentary {
		return 0
	}
	logN := math.Log(float64(len(ix.docs)) + idfSmoothing)
	e := entry{outlet: normOutlet(a.Outlet), at: a.Published.Unix(), feats: va.feats, pos: va.pos, neg: va.neg, story: -1}
	n := ix.norm(va.feats, logN) * ix.norm(vb.feats, logN)
	if n == 0 {
		return 0
	}
	ix.setQuery(vb.feats, logN)
	defer ix.clearQuery(vb.feats)
	return ix.adjust(ix.dot(va.feats)/n, &vb, b.Published.Unix(), &e, normOutlet(b.Outlet), logN)
}
